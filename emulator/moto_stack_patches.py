"""Additive corrections to moto 5.2.1 that deploying and destroying the stacks needs.

Imported by moto_launcher.py before the server starts; each is listed, with its reason, in
emulator/moto-gaps.ts. Operations moto lacks in Security Hub are answered by the validating
stand-in instead (securityhub-management.ts); these are the ones behind other endpoints.

1. GuardDuty DisableOrganizationAdminAccount. moto enables and lists the delegated GuardDuty
   administrator but has no disable, so `terraform destroy` of the management stack fails with
   an HTML 404. Added with AWS's semantics: the account must be the designated administrator
   (BadRequestException otherwise), and afterwards ListOrganizationAdminAccounts no longer
   lists it. https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DisableOrganizationAdminAccount.html

2. Athena DeleteNamedQuery. moto creates, gets and lists named queries but cannot delete one, so
   `terraform destroy` of the security home stack (the evidence KPI queries) hangs in the
   provider's retries and fails. Added with AWS's semantics: the query is removed and no longer
   listed or found; an id that names no query is an InvalidRequestException.
   https://docs.aws.amazon.com/athena/latest/APIReference/API_DeleteNamedQuery.html
"""

import json

import moto.guardduty.urls as guardduty_urls
from moto.athena.responses import AthenaResponse
from moto.guardduty.exceptions import GuardDutyException
from moto.guardduty.models import GuardDutyBackend
from moto.guardduty.responses import GuardDutyResponse


class _BadRequest(GuardDutyException):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("BadRequestException", message)


def _disable_organization_admin_account(self, admin_account_id):  # type: ignore[no-untyped-def]
    if admin_account_id not in self.admin_account_ids:
        raise _BadRequest(f"The request is rejected because {admin_account_id} is not the delegated administrator.")
    self.admin_account_ids.remove(admin_account_id)


def _disable_response(self):  # type: ignore[no-untyped-def]
    self.guardduty_backend.disable_organization_admin_account(self._get_param("adminAccountId"))
    return "{}"


GuardDutyBackend.disable_organization_admin_account = _disable_organization_admin_account
GuardDutyResponse.disable_organization_admin_account = _disable_response
guardduty_urls.url_paths["{0}/admin/disable$"] = GuardDutyResponse.dispatch


def _delete_named_query(self):  # type: ignore[no-untyped-def]
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.named_queries.pop(query_id, None) is None:
        return self.error(f"NamedQuery {query_id} was not found", 400)
    return json.dumps({})


AthenaResponse.delete_named_query = _delete_named_query
