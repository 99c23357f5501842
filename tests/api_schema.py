"""Every answer of ``/api/v1`` that a test receives is checked against the app's own
OpenAPI document (``check_api_response``, called by ``tests.conftest.isolated``), so the
document cannot drift from the code: undocumented paths, statuses, content types or
fields fail the test that received them."""
import json
import weakref
from urllib.parse import quote

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from community.api import openapi

class DocumentMismatch(AssertionError):
    """An answer of ``/api/v1`` that the app's OpenAPI document does not describe."""


class ApiDocument:
    """An app's OpenAPI 3.1 document (``openapi.document()``) and JSON Schema (Draft
    2020-12) validators for its response schemas, ``$ref``s resolved in the document.

    Answers are checked against the schemas ``closed``: a key the code sends that the
    document does not name is drift too, unless its object says ``additionalProperties``."""
    URI = "urn:forum:openapi"

    def __init__(self, app):
        with app.app_context():
            self.document = openapi.document()
        checked = _closed(self.document, self.document["components"]["schemas"])
        self.registry = Registry().with_resource(self.URI, DRAFT202012.create_resource(checked))
        self._validators = {}

    def operation(self, template, method):
        return self.document["paths"].get(template, {}).get(method.lower())

    def response(self, template, method, status):
        """The documented response for ``status`` and its JSON pointer, or (None, None)."""
        responses = self.operation(template, method)["responses"]
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                pointer = _pointer("paths", template, method.lower(), "responses", key)
                response = responses[key]
                if "$ref" in response:
                    pointer = response["$ref"][1:]
                    response = self.resolve(pointer)
                return response, pointer
        return None, None

    def resolve(self, pointer):
        node = self.document
        for part in pointer.lstrip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def errors(self, pointer, data):
        """The most relevant way ``data`` breaks the schema at ``pointer``, or None."""
        if pointer not in self._validators:
            self._validators[pointer] = Draft202012Validator(
                {"$ref": f"{self.URI}#{quote(pointer, safe='/~')}"}, registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER)
        error = best_match(self._validators[pointer].iter_errors(data))
        if error is None:
            return None
        where = "".join(f"[{p!r}]" for p in error.absolute_path) or "the body"
        return f"{where}: {error.message} (schema: {'/'.join(map(str, error.schema_path))})"


def _closed(node, schemas):
    """A copy of ``node`` in which every object schema that lists ``properties`` and says
    nothing of others allows no other keys. An ``allOf`` of such objects becomes one
    object first (closed alone, each part would refuse the keys of the others)."""
    if isinstance(node, list):
        return [_closed(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    parts = [schemas[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
             for p in node.get("allOf", ())]
    if parts and all("properties" in p and "additionalProperties" not in p for p in parts):
        node = {**{k: v for k, v in node.items() if k != "allOf"}, "type": "object",
                "required": [name for p in parts for name in p.get("required", ())],
                "properties": {k: v for p in parts for k, v in p["properties"].items()}}
    closed = {key: _closed(value, schemas) if key != "properties" else
              {name: _closed(schema, schemas) for name, schema in value.items()}
              for key, value in node.items()}
    if "properties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


_api_documents = weakref.WeakKeyDictionary()


def _pointer(*parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def api_document(app, refresh=False):
    """The app's document, built once per app (again with ``refresh``)."""
    if refresh or app not in _api_documents:
        _api_documents[app] = ApiDocument(app)
    return _api_documents[app]


def _operation_of(app, method, path):
    """(document, template, operation, statuses the answer may have when there is none).

    Without an operation, the document's ``info`` says what answers: an unknown path a
    404, a method the path does not support a 405, and on a write call the input
    layer's errors (``openapi.INPUT_ERRORS``) before either."""
    adapter = app.url_map.bind(app.config.get("SERVER_NAME") or "localhost")
    input_errors = set(openapi.INPUT_ERRORS) if method.lower() in openapi.WRITE_METHODS \
        else set()
    try:
        rule, _ = adapter.match(path, method, return_rule=True)
    except NotFound:
        return api_document(app), None, None, {404} | input_errors
    except MethodNotAllowed:
        return api_document(app), None, None, {405} | input_errors
    except RequestRedirect as redirect:  # the path without its trailing slash, or with it
        return api_document(app), None, None, {redirect.code}
    template = openapi.openapi_path(rule.rule)
    doc = api_document(app)
    if doc.operation(template, method) is None:  # a route added since the document was built
        doc = api_document(app, refresh=True)
    return doc, template, doc.operation(template, method), None


def check_api_response(app, method, path, status, content_type, body):
    """Raise ``DocumentMismatch`` unless the app's OpenAPI document describes this answer
    of ``method path``: its status among the operation's responses (without an operation,
    one of the errors the document's ``info`` names), and a JSON body valid against that
    response's schema (an error's: the ``Error`` schema)."""
    if method in ("HEAD", "OPTIONS"):
        return
    media_type = content_type.split(";")[0].strip().lower()

    def mismatch(reason):
        text = body.decode("utf-8", "replace")
        raise DocumentMismatch(f"{method} {path} answered {status} ({media_type or 'no type'}), "
                               f"which the OpenAPI document does not describe: {reason}\n"
                               f"body: {text[:1000]}{'...' if len(text) > 1000 else ''}")

    doc, template, operation, expected = _operation_of(app, method, path)
    if operation is None:
        if expected is None:
            mismatch(f"the app routes {method} {template}, the document has no such operation")
        if status not in expected:
            mismatch(f"no operation for {method} {path}, so only an error "
                     f"{' or '.join(map(str, sorted(expected)))} may answer")
        if 300 <= status < 400:
            return
        if media_type != "application/json":
            mismatch("an error must be the JSON error object")
        pointer = _pointer("components", "schemas", "Error")
    else:
        response, pointer = doc.response(template, method, status)
        if response is None:
            mismatch(f"{method.upper()} {template} documents no response {status} "
                     f"(documented: {', '.join(operation['responses'])})")
        content = response.get("content", {})
        if not content and not body:
            return
        if media_type not in content:
            mismatch(f"response {status} of {method.upper()} {template} documents "
                     f"{', '.join(content) or 'no body'}")
        if media_type != "application/json" or "schema" not in content[media_type]:
            return  # another documented type: no JSON Schema to check
        pointer += _pointer("content", media_type, "schema")
    try:
        data = json.loads(body)
    except ValueError as error:
        mismatch(f"the body is not JSON ({error})")
    problem = doc.errors(pointer, data)
    if problem:
        mismatch(problem)
