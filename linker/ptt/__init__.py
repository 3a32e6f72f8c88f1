"""PTT itself: post pages and text (``parse``), the news templates (``template``), ptt.cc
addresses (``url``), board index and search pages (``board``) and crawler dumps (``dump``)."""
