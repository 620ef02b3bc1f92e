"""The audit log: every staff decision, who made it, when, why, and the state before and after."""
