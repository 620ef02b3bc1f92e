"""Signing in with OpenID Connect providers: ThaiD / DGA Digital ID, LINE Login, or any other.

Providers come from the environment (`OIDC_PROVIDERS=thaid,line` and `OIDC_<NAME>_*`, see
`providers`); Authlib's Flask client runs the authorization code flow with state, nonce and PKCE,
and `client` checks the ID token with the provider's own algorithms only. Only the provider's
subject identifier is stored, per provider (`LinkedIdentity`), never a national ID number.
"""
from flask import Blueprint

bp = Blueprint("oidc", __name__)
