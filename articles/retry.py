"""What a Celery task retries on: errors a later attempt can outlive."""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
