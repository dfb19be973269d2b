"""The workspace app: campaigns, agency parts and their evidence records, attached files, history and runs."""
