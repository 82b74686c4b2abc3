"""Starts moto_server on loopback with predictable Organizations account ids.

moto gives CreateAccount random 12-digit ids; the emulator tier needs the ids of its test
accounts.json, so EMULATOR_ACCOUNT_IDS (comma-separated) is handed out in order first.
Usage: python3 moto_launcher.py <port>
"""
import os
import sys

import moto.organizations.utils as org_utils
from moto.organizations.models import OrganizationsBackend
from moto.server import main

# Additive corrections of moto to AWS's documented behaviour (each listed in moto-gaps.ts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_patches  # noqa: E402,F401
import moto_stack_patches  # noqa: E402,F401

_queue = [i for i in os.environ.get("EMULATOR_ACCOUNT_IDS", "").split(",") if i]
_random = org_utils.make_random_account_id


def _next_account_id() -> str:
    return _queue.pop(0) if _queue else _random()


org_utils.make_random_account_id = _next_account_id

# The organization's and root's ids, when the test organization names them (accounts.json's
# organization.id and rootId), so what the stacks attach to the root exists in moto.
_organization_id = os.environ.get("EMULATOR_ORGANIZATION_ID")
_root_id = os.environ.get("EMULATOR_ROOT_ID")
if _organization_id:
    org_utils.make_random_org_id = lambda: _organization_id
if _root_id:
    org_utils.make_random_root_id = lambda: _root_id

# CreateOrganization builds the management account's record with a generated id and then
# overwrites it with the caller's: it must not consume one of the queued ids.
_create_organization = OrganizationsBackend.create_organization


def _create_organization_keeping_queue(self, *args, **kwargs):
    org_utils.make_random_account_id = _random
    try:
        return _create_organization(self, *args, **kwargs)
    finally:
        org_utils.make_random_account_id = _next_account_id


OrganizationsBackend.create_organization = _create_organization_keeping_queue

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
