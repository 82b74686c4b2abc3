"""Additive corrections to moto 5.2.1 that deploying and destroying the stacks needs.

Imported by moto_launcher.py before the server starts; each is listed, with its reason, in
emulator/moto-gaps.ts. Operations moto lacks in Security Hub are answered by the validating
stand-in instead (securityhub-management.ts); these are the ones behind other endpoints.

1. GuardDuty DisableOrganizationAdminAccount. moto enables and lists the delegated GuardDuty
   administrator but has no disable, so `terraform destroy` of the management stack fails with
   an HTML 404. Added with AWS's semantics: the account must be the designated administrator
   (BadRequestException otherwise), and afterwards ListOrganizationAdminAccounts no longer
   lists it. https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DisableOrganizationAdminAccount.html
"""

import moto.guardduty.urls as guardduty_urls
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
