"""The import of arrival lists (导入): reading a sheet, parsing its rows into records, matching them
against the registry, writing them, the jobs and their pages. ``docs/architecture.md`` maps it."""
