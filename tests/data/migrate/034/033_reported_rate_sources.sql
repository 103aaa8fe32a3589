-- 033: a reported_rate_mismatch names where recognized and the base came
-- from when that is not the row that wrote the percent.
--
-- The finding points at the tally row that wrote the percent.  When a later
-- eligible-only correction (or a register list) changed the base or the
-- count, the rate it compares with is not that row's: "line 11: reported
-- 75,74% but 2310/3100 = 74.52%" sent a clerk to a row that held 3,050 and
-- was right when it was sent.  {sources} is empty when every figure is the
-- row's own, else e.g. " (eligible 3,100 from dongle-2020.csv:2)".

UPDATE core.rules
SET template = 'reported {reported}% but recognized/{base_name} = {recognized}/{base} = {computed}%{sources}'
WHERE code = 'reported_rate_mismatch';
