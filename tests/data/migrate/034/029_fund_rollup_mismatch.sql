-- 029: a district's or province's own fund row that its scope was not
-- summed from is checked against the sum, as tallies are (rollup_mismatch).
--
-- Funds roll up from the lowest level reported (sql/transform/60_rollup.sql):
-- once one commune of a district reports a fund, the district's figure is
-- its communes' sum and the district's own row is a cross-check.  Without a
-- finding, a district total that the communes' rows do not reach vanished
-- from the published figures without a word.

INSERT INTO core.rules (code, severity, template, missing_policy, meaning) VALUES
('fund_rollup_mismatch', 'warning',
 'the {level} fund gives {fund_values}, its {units} reporting {lower} sum to {sum_values}; the sum is used',
 'Only amounts present in the fund row and known for at least one unit below are compared.',
 'A district or province fund row differs from the sum of the units below it (which is what the roll-up uses).');
