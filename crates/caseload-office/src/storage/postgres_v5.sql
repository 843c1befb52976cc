-- Scopes taken away from an account: a school reassigned away from its
-- link SIA (or left without one), an MSP group that no longer lists a
-- member. Each has its own sequence number, so the account's devices pull
-- it in order among the changes and remove the school (or the group's
-- meetings); a pull leaves out one whose scope the account has again. One
-- of urn and msp_group is set.
CREATE TABLE withdrawal (
    seq       BIGINT PRIMARY KEY,
    account   TEXT NOT NULL,
    urn       BIGINT,
    msp_group TEXT
);
CREATE INDEX withdrawal_account_seq ON withdrawal (account, seq);
