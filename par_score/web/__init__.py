"""The campaign workspace: agencies enter evidence and preview their points in a browser; the Sở Nội vụ runs the
campaign (Django project `par_score.web`, app `par_score.web.workspace`).

Scoring, wording and reports come from par_score.api, as for the CLI. Start it with `par-score serve`.
"""
