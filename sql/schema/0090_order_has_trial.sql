-- HasTrial (the plan offers a free trial) and IsTrial / IsTrialDeployment (this order line is in
-- trial) are different columns of Partner Center's order downloads: the OrdersV2 system query has
-- both HasTrial and IsTrialDeployment. Until now HasTrial was read into is_trial, so a paid order
-- of a plan that offers a trial counted as a trial. has_trial keeps it apart; rows loaded before
-- stay as they are (has_trial NULL: not delivered with them).
ALTER TABLE orders ADD COLUMN has_trial BOOLEAN;
