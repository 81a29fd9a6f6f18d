"""Changing the article table on SQLite in place, never by rebuilding it.

To add a column with a default or a constraint, Django rebuilds a SQLite table (new table, copy,
rename). The article table cannot be rebuilt: its newest-first index (0005) has NULLS LAST, which
SQLite refuses in an index, and triggers on the tag tables name it (0006). So an operation on it
is wrapped: `InPlace(operation, sqlite=[...])` applies the operation to the model state everywhere
and to the database on PostgreSQL, and runs the given SQL instead on SQLite (an ALTER TABLE ADD
COLUMN, which SQLite does in place; nothing for a constraint it cannot add, since the application
checks what SQLite cannot).
"""

from django.db import migrations


class InPlace(migrations.operations.base.Operation):
    reversible = True

    def __init__(self, operation, sqlite: list[str] | None = None, sqlite_backwards: list[str] | None = None):
        self.operation = operation
        self.sqlite = sqlite or []
        self.sqlite_backwards = sqlite_backwards or []

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operation], {"sqlite": self.sqlite, "sqlite_backwards": self.sqlite_backwards}

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for statement in self.sqlite:
                schema_editor.execute(statement)
        else:
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            for statement in self.sqlite_backwards:
                schema_editor.execute(statement)
        else:
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (in place on SQLite)"
