"""The OpenAPI 3 document of the portal's Open Referral UK endpoints (`openapi_url`).

ORUK's API details (`/`) name "the openapi JSON file which defines this API". The UK profile
publishes one, but it describes endpoints this portal does not offer (taxonomies, search and
filter parameters) and lacks one it does (`/organizations`), so the portal describes its own:
the paths it serves, their paging parameters and errors, each response pointing at the UK
profile's compiled JSON Schema.
"""

from __future__ import annotations

from . import openreferral as oruk

UK_SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/"

# path -> (what it returns, the UK profile schema of one item or of a page's contents)
LISTS = {
    "/services": ("services", "service_list.json"),
    "/organizations": ("organizations", "organization_list.json"),
    "/service_at_locations": ("service at locations", "service_at_location_list.json"),
}
DETAILS = {
    "/services/{id}": ("service", "service.json"),
    "/organizations/{id}": ("organization", "organization.json"),
    "/service_at_locations/{id}": ("service at location", "service_at_location.json"),
}


def document(server_url: str) -> dict:
    """The OpenAPI 3.1 document, with `server_url` (the API root) as its server."""
    paths = {"/": _api_details()}
    paths.update({path: _list(what, schema) for path, (what, schema) in LISTS.items()})
    paths.update({path: _detail(what, schema) for path, (what, schema) in DETAILS.items()})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Neighbourhood portal: Open Referral UK",
            "version": oruk.VERSION,
            "description": "Published community services, their organisations and locations, "
                           "as Open Referral UK 3.0 (read only, no personal data).",
            "license": {"name": "Open Government Licence v3.0",
                        "url": "https://www.nationalarchives.gov.uk/doc/"
                               "open-government-licence/version/3/"},
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths,
        "components": {
            "parameters": {
                "page": {"name": "page", "in": "query", "required": False,
                         "description": "Page number of the paginated result, from 1.",
                         "schema": {"type": "integer", "minimum": 1, "default": 1}},
                "per_page": {"name": "per_page", "in": "query", "required": False,
                             "description": "Items per page.",
                             "schema": {"type": "integer", "minimum": 1,
                                        "maximum": oruk.MAX_PER_PAGE,
                                        "default": oruk.DEFAULT_PER_PAGE}},
            },
            "schemas": {
                "Page": {"type": "object", "properties": {
                    "total_items": {"type": "integer"}, "total_pages": {"type": "integer"},
                    "page_number": {"type": "integer"}, "size": {"type": "integer"},
                    "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
                    "empty": {"type": "boolean"}}},
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            },
            "responses": {
                "BadRequest": _error("The page or per_page parameter is not a whole number."),
                "NotFound": _error("There is no published item with this id."),
            },
        },
    }


def _api_details() -> dict:
    return {"get": {
        "operationId": "getAPIMetaInformation",
        "summary": "Information about this API and its relationship with HSDS.",
        "responses": {"200": {"description": "The HSDS version, profile and this document.",
                              "content": {"application/json": {"schema": {
                                  "type": "object", "properties": {
                                      "version": {"type": "string"},
                                      "profile": {"type": "string", "format": "uri"},
                                      "openapi_url": {"type": "string", "format": "uri"}}}}}}},
    }}


def _list(what: str, schema: str) -> dict:
    return {"get": {
        "operationId": "list_" + what.replace(" ", "_"),
        "summary": f"A page of published {what}.",
        "parameters": [{"$ref": "#/components/parameters/page"},
                       {"$ref": "#/components/parameters/per_page"}],
        "responses": {
            "200": {"description": f"A page of {what}.", "content": {"application/json": {
                "schema": {"allOf": [{"$ref": "#/components/schemas/Page"}], "properties": {
                    "contents": {"type": "array", "items": {"$ref": UK_SCHEMAS + schema}}}}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
        },
    }}


def _detail(what: str, schema: str) -> dict:
    return {
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "description": f"The {what}'s id (a UUID).",
                        "schema": {"type": "string", "format": "uuid"}}],
        "get": {
            "operationId": "get_" + what.replace(" ", "_"),
            "summary": f"One published {what}, fully nested.",
            "responses": {
                "200": {"description": f"The {what}.", "content": {"application/json": {
                    "schema": {"$ref": UK_SCHEMAS + schema}}}},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
