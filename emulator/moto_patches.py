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

3. EventBridge patterns on fields inside arrays of objects. moto flattens an event's nested objects
   into dotted paths but stops at an array, so `{"detail": {"findings": {"RecordState": ["ACTIVE"]}}}`
   never matches a Security Hub event (`detail.findings` is an array of findings) and no rule on a
   finding field ever fires. EventBridge matches such a field against the values of every element
   ("If the value in the event is an array, then the event pattern matches if the intersection of
   the event pattern array and the event array is non-empty"; arrays of objects are flattened the
   same way). The flattening now descends into arrays of objects and collects each path's values.
   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
"""

from moto.core.responses import EmptyResult
from moto.events.models import EventPattern
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


# 3. EventBridge patterns inside arrays of objects ---------------------------------------------

def _collect(result, key, value):  # type: ignore[no-untyped-def]
    """Adds a leaf value to a path, as a list once the path holds more than one element's value."""
    values = value if isinstance(value, list) else [value]
    if key in result:
        held = result[key] if isinstance(result[key], list) else [result[key]]
        result[key] = held + values
    else:
        result[key] = value


def _flatten_dict(node, prefix="", result=None):  # type: ignore[no-untyped-def]
    if result is None:
        result = {}
    if isinstance(node, dict):
        for k, v in node.items():
            new_key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict) and v:
                _flatten_dict(v, new_key, result)
            elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                for element in v:
                    if isinstance(element, dict):
                        for sub_key, sub_value in _flatten_dict(element, new_key, {}).items():
                            _collect(result, sub_key, sub_value)
                    else:
                        _collect(result, new_key, element)
            else:
                _collect(result, new_key, v)
    return result


EventPattern._flatten_dict = staticmethod(_flatten_dict)  # type: ignore[method-assign]
