-- Letters issued once (issue 16, item 4): a letter of a kind already
-- issued at the stage goes again only with a reason, which is kept with
-- the letter it explains. Empty for a letter's first issue, and so for
-- every letter issued before this migration. The letters' triggers refuse
-- updates, not a new column, so issued letters are unchanged.
ALTER TABLE letters ADD COLUMN reissue_reason TEXT NOT NULL DEFAULT '';
