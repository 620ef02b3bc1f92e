"""The OpenAPI 3.1 document of /api/v1, built from one table of operations."""
from __future__ import annotations

from functools import lru_cache

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    text = {400: "Bad request / ข้อมูลไม่ถูกต้อง", 401: "Authentication required",
            403: "Refused: `area_closed`, `area_archived`, `round_closed` (the message gives the next round's "
                 "opening), `round_closed_votes`, `blocked`",
            404: "Not found", 409: "The idea was merged into another (support that one)", 413: "Body over 1 MB", 422: "Validation failed, see `fields`", 429: "Too many requests"}
    return {str(code): _json(ERROR, text[code]) for code in codes}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


#: Project statuses.
PROJECT_STATUSES = ["planned", "in_progress", "done", "cancelled"]
PLAN_TYPES = ["community_plan", "village_plan", "local_development_plan", "agency_project", "other"]
SIMILAR_ITEM = {"type": "object", "required": ["id", "title", "vote_count", "score", "supported", "url"], "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "vote_count": {"type": "integer"},
    "score": {"type": "number", "description": "0-1, higher is more similar"},
    "supported": {"type": "boolean", "description": "the caller already supports it"},
    "same_issue": {"type": "boolean", "description": "probably the same problem at the same place "
                   "(อาจเป็นเรื่องเดียวกัน); these come first, the others are only similar (เรื่องใกล้เคียง)"},
    "issue_id": {"type": ["integer", "null"], "description": "the issue the idea is one report of"},
    "distance_m": {"type": "integer", "description": "metres from the point (rounded; between public points)"},
    "url": {"type": "string"}}}
#: Every idea status, in the order an idea moves through them.
STATUSES = ["received", "under_review", "accepted", "in_progress", "implemented", "declined", "duplicate"]
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Area slug"}
IDEA_ID = {"name": "idea_id", "in": "path", "required": True, "schema": {"type": "integer"}}
SECURED = [{"bearerAuth": []}, {"cookieAuth": [], "csrfHeader": []}]
#: Keys every Area, Theme and Round of the API carries (the tests check responses against them).
AREA_FIELDS = ["slug", "name_th", "name_en", "description_th", "description_en", "parent", "status", "is_open",
               "is_archived", "iap2_level", "iap2_label_th", "iap2_label_en", "promise_th", "promise_en",
               "open_round", "next_round", "idea_count", "themes", "url"]
THEME_FIELDS = ["slug", "title_th", "title_en", "is_open", "round_state", "accepts_ideas", "open_until",
                "next_opens_at"]
PROJECT_FIELDS = ["id", "area", "title", "plan_type", "fiscal_year", "budget", "budget_source", "agency", "starts_on",
                  "ends_on", "status", "disputed", "place_name", "location", "milestones", "idea_ids",
                  "supporter_count", "url"]
ROUND_FIELDS = ["id", "title_th", "title_en", "opens_at", "closes_at", "state", "themes"]
ISSUE_FIELDS = ["id", "group_id", "size", "supporter_count", "name", "idea_ids", "url"]


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    idea_page = {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Idea"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer"}, "pages": {"type": "integer"},
        },
    }
    paths = {
        "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                  "responses": {"200": {"description": "OpenAPI document"}}}},
        "/areas": {"get": {
            "summary": "Areas with their parent, IAP2 promise, open round and themes", "operationId": "listAreas",
            "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}}}}, "Areas")},
        }},
        "/areas/{slug}": {"get": {
            "summary": "One area", "operationId": "getArea", "parameters": [SLUG],
            "responses": {"200": _json({"$ref": "#/components/schemas/Area"}, "The area"), **_errors(404)},
        }},
        "/areas/{slug}/ideas": {
            "get": {
                "summary": "An area's published ideas", "operationId": "listIdeas",
                "parameters": [
                    SLUG,
                    _query("sort", {"type": "string", "enum": ["top", "new", "trending"], "default": "top"},
                           "top: most supporters; new: newest; trending: most supporters in the last 7 days"),
                    _query("q", {"type": "string", "maxLength": 200}, "Thai-aware search (PyThaiNLP words, all required)"),
                    _query("theme", {"type": "string"}, "Theme slug"),
                    _query("status", {"type": "string", "enum": STATUSES},
                           "Only ideas in this status (what the agencies did with them)"),
                    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
                    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Page size"),
                ],
                "responses": {"200": _json(idea_page, "A page of ideas"), **_errors(400, 404)},
            },
            "post": {
                "summary": "Post an idea", "operationId": "createIdea", "security": SECURED,
                "parameters": [SLUG],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/IdeaInput"}}}},
                "responses": {"201": _json({"$ref": "#/components/schemas/Idea"}, "Created"),
                              **_errors(400, 401, 403, 404, 413, 422, 429)},
            },
        },
        "/areas/{slug}/similar": {"get": {
            "summary": "Published ideas of the area most similar to a text (Thai-aware)",
            "operationId": "similarIdeas",
            "parameters": [
                SLUG,
                _query("text", {"type": "string", "maxLength": 5200},
                       "The text typed so far (title and description); required unless lat and lng are given"),
                _query("k", {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}, "How many"),
                _query("lat", {"type": "number", "minimum": -90, "maximum": 90},
                       "Latitude of the chosen point (with lng): ideas near it come back in `nearby`"),
                _query("lng", {"type": "number", "minimum": -180, "maximum": 180}, "Longitude of the chosen point"),
            ],
            "responses": {"200": _json({"type": "object", "required": ["items", "nearby"], "properties": {
                "items": {"type": "array", "items": SIMILAR_ITEM},
                "nearby": {"type": "array", "items": SIMILAR_ITEM,
                           "description": "Published ideas within 250 m of the point (someone reported this here "
                                          "already), those with similar text first, then the nearest"}}},
                "Best first"), **_errors(400, 403, 404, 422)},
        }},
        "/areas/{slug}/projects": {"get": {
            "summary": "An area's projects with budget totals per fiscal year", "operationId": "listProjects",
            "parameters": [
                SLUG,
                _query("fy", {"type": "string"}, "Thai fiscal year, Buddhist era (e.g. 2569)"),
                _query("status", {"type": "string", "enum": PROJECT_STATUSES}, "Only projects in this status"),
                _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
                _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Page size"),
            ],
            "responses": {"200": _json({"type": "object", "required": ["items", "totals"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Project"}},
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"}, "pages": {"type": "integer"},
                "totals": {"type": "array", "description": "Per fiscal year, newest first (cancelled left out of "
                                                           "`projects` and `budget`)", "items": {
                    "type": "object", "properties": {
                        "fiscal_year": {"type": "integer"}, "projects": {"type": "integer"},
                        "budget": {"type": "string", "description": "baht, 2 decimals"},
                        "by_status": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                            "projects": {"type": "integer"}, "budget": {"type": "string"}}}}}}}}},
                "A page of projects"), **_errors(400, 404)},
        }},
        "/areas/{slug}/map": {"get": {
            "summary": "GeoJSON of the area's ideas (points rounded to the area's precision) and projects",
            "operationId": "areaMap",
            "parameters": [SLUG, _query("theme", {"type": "string"}, "Theme slug"),
                           _query("status", {"type": "string", "enum": STATUSES}, "Idea status"),
                           _query("q", {"type": "string", "maxLength": 200}, "Thai-aware search")],
            "responses": {"200": _json({"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"type": "object", "properties": {
                    "type": {"const": "Feature"}, "geometry": {"type": "object"},
                    "properties": {"type": "object", "properties": {
                        "kind": {"type": "string", "enum": ["idea", "project"]}, "id": {"type": "integer"},
                        "title": {"type": "string"}, "url": {"type": "string"}, "status": {"type": "string"}}}}}}}},
                "GeoJSON FeatureCollection (coordinates are [lng, lat])"), **_errors(400, 404)},
        }},
        "/projects/{project_id}": {"get": {
            "summary": "One project", "operationId": "getProject",
            "parameters": [{"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/Project"}, "The project"), **_errors(404)},
        }},
        "/areas/{slug}/groups": {"get": {
            "summary": "Groups of similar ideas, most distinct supporters first", "operationId": "listGroups",
            "parameters": [
                SLUG,
                _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
                _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Page size"),
            ],
            "responses": {"200": _json({"type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "size": {"type": "integer"},
                    "supporter_count": {"type": "integer", "description": "distinct residents across members"},
                    "keywords": {"type": "array", "items": {"type": "string"}},
                    "idea_ids": {"type": "array", "items": {"type": "integer"}},
                    "url": {"type": "string"}}}},
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"}, "pages": {"type": "integer"}}}, "A page of groups"),
                **_errors(400, 404)},
        }},
        "/areas/{slug}/issues": {"get": {
            "summary": "Issues: the same problem at the same place reported two or more times, most distinct "
                       "supporters first",
            "operationId": "listIssues",
            "parameters": [
                SLUG,
                _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
                _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Page size"),
            ],
            "responses": {"200": _json({"type": "object", "required": ["items", "page", "per_page", "total", "pages"],
                                        "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Issue"}},
                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "total": {"type": "integer"}, "pages": {"type": "integer"}}}, "A page of issues"),
                **_errors(400, 404)},
        }},
        "/ideas/{idea_id}": {"get": {
            "summary": "One idea", "operationId": "getIdea", "parameters": [IDEA_ID],
            "responses": {"200": _json({"$ref": "#/components/schemas/Idea"}, "The idea"), **_errors(404)},
        }},
        "/ideas/{idea_id}/vote": {
            method: {
                "summary": summary, "operationId": op, "security": SECURED, "parameters": [IDEA_ID],
                "responses": {"200": _json({"$ref": "#/components/schemas/VoteResult"}, "Done (idempotent)"),
                              **_errors(400, 401, 403, 404, 409, 413, 429)},
            }
            for method, summary, op in (("put", "Support an idea (idempotent)", "voteIdea"),
                                        ("delete", "Withdraw support (idempotent)", "unvoteIdea"))
        },
    }
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message", "fields"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string", "description": "Thai first"},
                           "fields": {"type": "object", "additionalProperties": {
                               "type": "array", "items": {"type": "string"}}}}}}},
        "Theme": {"type": "object", "required": THEME_FIELDS, "properties": {
            "slug": {"type": "string"}, "title_th": {"type": "string"}, "title_en": {"type": "string"},
            "is_open": {"type": "boolean", "description": "false: closed by staff, whatever its rounds"},
            "round_state": {"type": "string", "enum": ["always", "open", "upcoming", "ended"],
                            "description": "always: in no round (takes ideas while open); open: a round of it "
                                           "is open; upcoming: its next round is yet to open; ended: all over"},
            "accepts_ideas": {"type": "boolean", "description": "POST /areas/{slug}/ideas takes this theme now"},
            "open_until": {"type": ["string", "null"], "format": "date-time",
                           "description": "when the open round closes (UTC)"},
            "next_opens_at": {"type": ["string", "null"], "format": "date-time",
                              "description": "when its next round opens (UTC)"}}},
        "Round": {"type": "object", "required": ROUND_FIELDS, "properties": {
            "id": {"type": "integer"}, "title_th": {"type": "string"}, "title_en": {"type": "string"},
            "opens_at": {"type": "string", "format": "date-time", "description": "UTC (entered in Asia/Bangkok)"},
            "closes_at": {"type": "string", "format": "date-time", "description": "UTC; open until just before"},
            "state": {"type": "string", "enum": ["upcoming", "open", "ended"]},
            "themes": {"type": "array", "items": {"type": "string"}, "description": "theme slugs"}}},
        "Area": {"type": "object", "required": AREA_FIELDS, "properties": {
            "slug": {"type": "string"}, "name_th": {"type": "string"}, "name_en": {"type": "string"},
            "description_th": {"type": "string"}, "description_en": {"type": "string"},
            "parent": {"type": ["string", "null"], "description": "slug of the area above (province of a "
                                                                     "municipality); null at the top"},
            "status": {"type": "string", "enum": ["open", "closed", "archived"]},
            "is_open": {"type": "boolean"},
            "is_archived": {"type": "boolean", "description": "read-only: no ideas, votes or comments"},
            "iap2_level": {"type": ["string", "null"],
                           "enum": ["inform", "consult", "involve", "collaborate", "empower", None],
                           "description": "the area's promise on the IAP2 spectrum; null until stated"},
            "iap2_label_th": {"type": ["string", "null"], "description": "e.g. การปรึกษาหารือ"},
            "iap2_label_en": {"type": ["string", "null"], "description": "e.g. Consult"},
            "promise_th": {"type": "string", "description": "one paragraph: what happens with residents' input"},
            "promise_en": {"type": "string"},
            "open_round": {"oneOf": [{"$ref": "#/components/schemas/Round"}, {"type": "null"}],
                           "description": "the round open now (the one closing first if several)"},
            "next_round": {"oneOf": [{"$ref": "#/components/schemas/Round"}, {"type": "null"}],
                           "description": "the next round to open"},
            "idea_count": {"type": "integer"},
            "themes": {"type": "array", "items": {"$ref": "#/components/schemas/Theme"}},
            "url": {"type": "string", "format": "uri"},
            "open_data": {"type": "object", "description": "The area's published ideas as open data", "properties": {
                "csv": {"type": "string", "format": "uri"}, "json": {"type": "string", "format": "uri"},
                "licence": {"type": "string"}, "licence_url": {"type": ["string", "null"], "format": "uri"}}}}},
        "IdeaInput": {"type": "object", "required": ["title", "body"], "properties": {
            "title": {"type": "string", "minLength": 10, "maxLength": 150},
            "body": {"type": "string", "minLength": 30, "maxLength": 5000},
            "theme": {"type": "string", "description": "Theme slug; the area's first open theme when left out"},
            "place_name": {"type": "string", "maxLength": 200},
            "lat": {"type": ["number", "string"], "description": "Latitude of the idea's place (with lng); inside "
                                                                 "Thailand or the area's bounding box"},
            "lng": {"type": ["number", "string"], "description": "Longitude of the idea's place"}}},
        "Idea": {"type": "object", "properties": {
            "id": {"type": "integer"}, "area": {"type": "string"}, "theme": {"type": "string"},
            "title": {"type": "string"}, "body": {"type": "string"},
            "body_html": {"type": "string", "description": "Cleaned with bleach; links rel=nofollow ugc"},
            "place_name": {"type": ["string", "null"]}, "author": {"type": "string"},
            "status": {"type": "string", "enum": STATUSES},
            "status_label": {"type": "string"},
            "visibility": {"type": "string", "enum": ["pending", "published", "hidden", "rejected"],
                           "description": "pending: waits for a moderator (only its author sees it then)"},
            "vote_count": {"type": "integer"}, "comment_count": {"type": "integer"},
            "verified_vote_count": {"type": "integer",
                                    "description": "Supporters with a verified identity (ThaiD / Digital ID)"},
            "group_id": {"type": ["integer", "null"], "description": "its group of similar ideas (topic); null in "
                                                                    "the answer to posting it: the background worker "
                                                                    "places a new idea just after"},
            "issue_id": {"type": ["integer", "null"],
                         "description": "the issue it is one report of (the same problem reported again), inside "
                                        "its group; null while no other report is the same problem, and in the "
                                        "answer to posting it"},
            "reference": {"type": ["string", "null"], "pattern": "^[A-Z]{2,6}-[0-9]{4}-[0-9]{5,}$",
                          "description": "Reference number of the receipt (เลขที่รับเรื่อง): area code, "
                                         "Buddhist year, sequence, e.g. SSK-2569-00042; "
                                         "GET /ideas/lookup?ref= on the web site finds the idea"},
            "agency": {"oneOf": [{"$ref": "#/components/schemas/Agency"}, {"type": "null"}],
                       "description": "The agency the idea was routed to; null while not routed"},
            "merged_into_id": {"type": ["integer", "null"],
                               "description": "The idea this duplicate was merged into (status duplicate)"},
            "project_id": {"type": ["integer", "null"], "description": "The project it became (GET /projects/{id})"},
            "location": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["lat", "lng", "precision_m"],
                                                       "properties": {
                "lat": {"type": "number"}, "lng": {"type": "number"},
                "precision_m": {"type": "integer", "description": "rounded to about this many metres"}}}]},
            "created_at": {"type": "string", "format": "date-time"}, "url": {"type": "string", "format": "uri"}}},
        "Issue": {"type": "object", "required": ISSUE_FIELDS, "properties": {
            "id": {"type": "integer"},
            "group_id": {"type": ["integer", "null"], "description": "the group of similar ideas it lies in"},
            "size": {"type": "integer", "description": "published reports; N others reported this = size - 1"},
            "supporter_count": {"type": "integer", "description": "distinct residents across its reports"},
            "name": {"oneOf": [{"type": "object", "required": ["idea_id", "title"], "properties": {
                "idea_id": {"type": "integer"}, "title": {"type": "string"}}}, {"type": "null"}],
                "description": "the report that names it (the most representative one)"},
            "idea_ids": {"type": "array", "items": {"type": "integer"}, "description": "most supported first"},
            "url": {"type": "string", "description": "its public page"}}},
        "Project": {"type": "object", "required": PROJECT_FIELDS, "properties": {
            "id": {"type": "integer", "description": "stable; the page is /projects/{id}"},
            "area": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
            "plan_type": {"type": "string", "enum": PLAN_TYPES}, "plan_label": {"type": "string"},
            "fiscal_year": {"type": "integer", "description": "Thai fiscal year, Buddhist era"},
            "budget": {"type": ["string", "null"], "description": "baht as a decimal string (exact), e.g. 1250000.00"},
            "budget_source": {"type": "string"},
            "agency": {"oneOf": [{"$ref": "#/components/schemas/Agency"}, {"type": "null"}]},
            "starts_on": {"type": ["string", "null"], "format": "date"},
            "ends_on": {"type": ["string", "null"], "format": "date"},
            "status": {"type": "string", "enum": PROJECT_STATUSES}, "status_label": {"type": "string"},
            "disputed": {"type": "boolean", "description": "residents said the done project is not done"},
            "place_name": {"type": "string"},
            "location": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                "lat": {"type": "number"}, "lng": {"type": "number"}}}]},
            "polygon": {"type": ["array", "null"], "items": {"type": "array", "items": {"type": "number"}},
                        "description": "[lat, lng] corners"},
            "milestones": {"type": "array", "items": {"type": "object", "properties": {
                "title": {"type": "string"}, "due_on": {"type": ["string", "null"], "format": "date"},
                "status": {"type": "string", "enum": PROJECT_STATUSES}}}},
            "idea_ids": {"type": "array", "items": {"type": "integer"}},
            "supporter_count": {"type": "integer", "description": "distinct supporters of its ideas"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "completed_at": {"type": ["string", "null"], "format": "date-time"},
            "url": {"type": "string", "format": "uri"}}},
        "Agency": {"type": "object", "required": ["id", "name_th", "name_en"], "properties": {
            "id": {"type": "integer"}, "name_th": {"type": "string"}, "name_en": {"type": "string"}}},
        "VoteResult": {"type": "object", "properties": {
            "idea_id": {"type": "integer"}, "voted": {"type": "boolean"},
            "changed": {"type": "boolean", "description": "false when the call changed nothing"},
            "vote_count": {"type": "integer"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "idea4gov API", "version": "1.0.0",
                 "description": "Ideas, votes and areas of idea4gov. Errors are "
                                "{\"error\": {\"code\", \"message\", \"fields\"}} with a 4xx status."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A personal access token made under /account"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                               "description": "From <meta name=csrf-token>; needed with the session cookie"},
            },
        },
    }
