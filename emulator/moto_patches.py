"""Additive corrections to moto 5.2.1 for the emulator tier, each to AWS's documented behaviour.

Imported by moto_launcher.py before the server starts. Every patch is listed, with its reason, in
emulator/moto-gaps.ts; nothing here changes what moto already does the way AWS does.

1. IAM user permissions boundaries. moto implements Put/DeleteRolePermissionsBoundary but not the
   user operations (its GetUser answers `PermissionsBoundary: {}` with a ToDo). Added with the role
   implementation's semantics: the policy ARN must be a policy ARN, the user must exist, GetUser
   shows the boundary (PermissionsBoundaryType PermissionsBoundaryPolicy), Delete removes it.
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html

2. ModifyNetworkInterfaceAttribute with Groups on an instance's primary interface. moto replaces the
   interface's own groups but keeps reporting the instance's launch groups as well (the union), so
   an isolated instance still shows its old group. On AWS the groups an instance reports are its
   primary interface's, and the request replaces them ("You must specify at least one group, even
   if it's just the default security group"; the new set is the whole set).
   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyNetworkInterfaceAttribute.html
"""

from moto.core.responses import EmptyResult
from moto.core.serialize import return_if_not_empty
from moto.ec2.models.elastic_network_interfaces import NetworkInterfaceBackend
from moto.iam.exceptions import IAMException
from moto.iam.models import IAMBackend, User
from moto.iam.responses import IamResponse


# 1. IAM user permissions boundaries ----------------------------------------------------------

def _user_permissions_boundary(self):  # type: ignore[no-untyped-def]
    arn = getattr(self, "permissions_boundary_arn", None)
    if arn:
        return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}
    return None


User.permissions_boundary = property(_user_permissions_boundary)  # type: ignore[attr-defined]


def put_user_permissions_boundary(self, user_name: str, permissions_boundary: str) -> None:  # type: ignore[no-untyped-def]
    if not permissions_boundary or not self.policy_arn_regex.match(permissions_boundary):
        raise IAMException("InvalidParameterValue", f"Value ({permissions_boundary}) for parameter PermissionsBoundary is invalid.")
    user = self.get_user(user_name)
    user.permissions_boundary_arn = permissions_boundary


def delete_user_permissions_boundary(self, user_name: str) -> None:  # type: ignore[no-untyped-def]
    user = self.get_user(user_name)
    user.permissions_boundary_arn = None


IAMBackend.put_user_permissions_boundary = put_user_permissions_boundary  # type: ignore[attr-defined]
IAMBackend.delete_user_permissions_boundary = delete_user_permissions_boundary  # type: ignore[attr-defined]


def _put_user_permissions_boundary_response(self):  # type: ignore[no-untyped-def]
    self.backend.put_user_permissions_boundary(self._get_param("UserName"), self._get_param("PermissionsBoundary"))
    return EmptyResult()


def _delete_user_permissions_boundary_response(self):  # type: ignore[no-untyped-def]
    self.backend.delete_user_permissions_boundary(self._get_param("UserName"))
    return EmptyResult()


IamResponse.put_user_permissions_boundary = _put_user_permissions_boundary_response  # type: ignore[attr-defined]
IamResponse.delete_user_permissions_boundary = _delete_user_permissions_boundary_response  # type: ignore[attr-defined]
IamResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER = {
    **IamResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER,
    "GetUserResponse.User.PermissionsBoundary": return_if_not_empty,
    "CreateUserResponse.User.PermissionsBoundary": return_if_not_empty,
}


# 2. ModifyNetworkInterfaceAttribute Groups replace the instance's groups ------------------------

_modify_network_interface_attribute = NetworkInterfaceBackend.modify_network_interface_attribute


def modify_network_interface_attribute(self, eni_id, group_ids, source_dest_check=None, description=None):  # type: ignore[no-untyped-def]
    _modify_network_interface_attribute(self, eni_id, group_ids, source_dest_check, description)
    eni = self.get_network_interface(eni_id)
    instance = getattr(eni, "instance", None)
    if group_ids and instance is not None and getattr(eni, "device_index", None) == 0:
        # The primary interface's groups are the instance's groups.
        instance.security_groups = list(eni._group_set)


NetworkInterfaceBackend.modify_network_interface_attribute = modify_network_interface_attribute  # type: ignore[method-assign]
