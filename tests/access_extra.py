"""Rows of the access table for areas added after the foundation (briefs, dashboard)."""


def extra_routes(ids, EVERYONE, READERS_OF_KHM, ADMINS, ENVOY_HERE, STAFF, LEADERSHIP, ADMIN):
    viewers = {STAFF, LEADERSHIP, ADMIN}
    return [
        ("/states/<iso3>/brief.pdf", "GET", "/states/KHM/brief.pdf", READERS_OF_KHM),
        ("/packs", "GET", "/packs", EVERYONE),
        ("/admin/downloads", "GET", "/admin/downloads", ADMINS),
        ("/dashboard/", "GET", "/dashboard/", viewers),
        ("/dashboard/report.pdf", "GET", "/dashboard/report.pdf", viewers),
        ("/dashboard/tally.csv", "GET", "/dashboard/tally.csv", viewers),
        ("/dashboard/weights", "GET", "/dashboard/weights", ADMINS),
    ]
