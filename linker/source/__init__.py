"""The cited page: what its markup says each part is (``roles``), the article text
(``extract``), its headline, byline and dates (``pagemeta``), the furniture found by its text
(``boilerplate``) and what is known of outlets and reprint portals (``outlets``)."""
