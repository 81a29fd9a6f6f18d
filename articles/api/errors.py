"""One shape for every error: `{"detail": reason, "errors": {parameter: [reasons]}}`.

`errors` is there when the request had bad fields or parameters (400): each key names the
parameter (or `non_field_errors`), each value says what is wrong with it.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {message}" for key, value in detail.items() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


def api_exception_handler(exc: Exception, context: dict) -> Any:
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            errors = {str(key): _messages(value) for key, value in detail.items()}
        else:
            errors = {"non_field_errors": _messages(detail)}
        first_field, first_messages = next(iter(errors.items()))
        response.data = {"detail": f"Invalid {first_field}: {first_messages[0]}", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


class ErrorSerializer(serializers.Serializer):
    """For the schema: what every error response carries."""

    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On 400: each bad parameter or field with its reasons.",
    )
