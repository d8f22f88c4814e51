"""The OpenAPI document and the URL map say the same, and the document is valid OpenAPI 3.1."""

from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

from tests.api_routes import api_rules
from tests.api_routes import methods
from tests.api_routes import openapi_path
from tracker.api.base import PREFIX

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def documented(client):
    """The served document, and (path, METHOD) of every operation it describes."""
    document = client.get(f"{PREFIX}/openapi.json").get_json()
    operations = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    return document, operations


def test_every_api_rule_and_method_is_documented(app, client):
    _, operations = documented(client)
    routed = {(openapi_path(rule), method) for rule in api_rules(app) for method in methods(rule)}
    assert routed, "no /api/v1 rule found"
    missing = sorted(routed - operations)
    assert not missing, f"routes missing from openapi.json: {missing}"


def test_every_documented_operation_exists(app, client):
    _, operations = documented(client)
    routed = {(openapi_path(rule), method) for rule in api_rules(app) for method in methods(rule)}
    assert not operations - routed, f"documented but not routed: {sorted(operations - routed)}"


def test_document_is_valid_openapi_3_1(client):
    document, _ = documented(client)
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_operation_has_a_summary_and_documents_its_errors(client):
    document, _ = documented(client)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert "default" in operation["responses"], f"{method.upper()} {path}: no error reply"


def test_spec_is_public_and_json(client):
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
