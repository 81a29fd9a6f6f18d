"""Who may do what: anyone reads, staff write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyOrStaff(BasePermission):
    """The default of every API view, so that a new write endpoint is closed until opened."""

    message = "Only staff can change data through the API."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)
