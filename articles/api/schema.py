"""What drf-spectacular does not infer by itself: error responses, empty values, anonymous reads.

Every optional query parameter may be sent empty, meaning the same as leaving it out (as an
HTML form sends it). Every operation can be throttled (429) and can reject a parameter (400); a detail can be
missing (404); a write needs a staff login (401 without credentials, 403 without the right).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import SAFE_METHODS

from articles.api.permissions import ReadOnlyOrStaff

ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in one sentence."},
        "errors": {
            "type": "object",
            "description": "On 400: each bad parameter or field with its reasons.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

REASONS = {
    "400": "A parameter or field is invalid; `errors` says which and why.",
    "401": "Not logged in (session) and no valid `Authorization: Token ...` header.",
    "403": "Logged in, but not as staff (or a session request without its CSRF token).",
    "404": "No such object.",
    "429": "Too many requests; `Retry-After` says how many seconds to wait.",
}


def add_error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"$ref": f"#/components/{ResolvedComponent.SCHEMA}s/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True  # `?date_after=` is the same as no date_after
            codes = ["400", "429"]
            if "{" in path:
                codes.append("404")
            if method not in {"get", "head", "options"}:
                codes += ["401", "403"]
            for code in codes:
                operation["responses"].setdefault(
                    code, {"description": REASONS[code], "content": {"application/json": {"schema": reference}}}
                )
    return result


class NewsroomAutoSchema(AutoSchema):
    """drf-spectacular's schema, knowing that `ReadOnlyOrStaff` lets anyone read."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        anyone_reads = any(isinstance(permission, ReadOnlyOrStaff) for permission in self.view.get_permissions())
        if anyone_reads and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths
