"""The part of the mock every API shares: routing to vendors, auth and tenancy, state, validation, Prefer."""
