"""What `@app.get("/items/{item_id}")` means when a service is compiled.

Under CPython, kaa.web's decorators read a handler's signature by reflection
(kaa/web/transport.py). A compiled service has no reflection, so the compiler does the
same reading from the source, before anything is declared: each route decorator on a
module-level function of a module that makes an `App()` becomes a wrapper function
taking the Request and returning a Response, registered with add_route where the
function is defined (another decorator of the app, `@app.before_request`, becomes the
call `app.before_request(f)` there, as Python would make it):

    def get_item__route(req: Request) -> Response:
        return object_reply(get_item(path_int(req, 0, "item_id")), 200)
    app.add_route("GET", "/items/{item_id}", get_item__route)

Each parameter is made by one of kaa.web.http's functions, chosen by its annotation
(Request: the request; int, float, str: the path part of that name, else the query
parameter, its default when absent), and the result by the return annotation.
"""

from __future__ import annotations

import ast

from kaa.compiler.errors import Reporter

ROUTE_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
HTTP = "__kaa_web_http"             # the module the wrappers call, imported under a name no program uses
SCALARS = {"int": "int", "float": "float", "str": "str"}
REPLIES = {"str": "text_reply", "bytes": "bytes_reply", "None": "empty_reply", "Response": "same_reply",
           "dict": "json_reply", "list": "json_reply", "Any": "json_reply", "int": "json_reply",
           "float": "json_reply", "bool": "json_reply"}


def app_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to App(): `app = App()`, `app: App = kaa.web.App()`."""
    names = set()
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] == "App":
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def on_app(d: ast.expr, apps: set[str]) -> bool:
    """@app.x or @app.x(...) for one of `apps`."""
    f = d.func if isinstance(d, ast.Call) else d
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in apps


def route_decorator(d: ast.expr, apps: set[str]) -> str | None:
    """The HTTP method of a route decorator on one of `apps`, else None."""
    if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and isinstance(d.func.value, ast.Name) \
            and d.func.value.id in apps and d.func.attr in ROUTE_METHODS:
        return ROUTE_METHODS[d.func.attr]
    return None


def expand_routes(tree: ast.Module, report: Reporter) -> None:
    apps = app_names(tree)
    if not apps:
        return
    body: list[ast.stmt] = []
    count = 0
    for node in tree.body:
        body.append(node)
        if not isinstance(node, ast.FunctionDef):
            continue
        mine = [d for d in node.decorator_list if on_app(d, apps)]
        node.decorator_list = [d for d in node.decorator_list if d not in mine]
        for d in mine:
            count += 1
            method = route_decorator(d, apps)
            if method is not None:
                body += wrapper(node, d, method, count, report)     # type: ignore[arg-type]
            else:                           # @app.before_request, @app.errorhandler(404): a call
                call = ast.Call(func=d, args=[ast.Name(id=node.name, ctx=ast.Load())], keywords=[])
                body.append(ast.copy_location(ast.Expr(value=ast.copy_location(call, d)), d))
    if count:
        body.insert(0, ast.Import(names=[ast.alias(name="kaa.web.http", asname=HTTP)]))
        tree.body = body
        ast.fix_missing_locations(tree)


def wrapper(fn: ast.FunctionDef, d: ast.Call, method: str, n: int, report: Reporter) -> list[ast.stmt]:
    app = d.func.value.id                                  # type: ignore[attr-defined]
    if not d.args or not isinstance(d.args[0], ast.Constant) or not isinstance(d.args[0].value, str):
        raise report.error(d, "a route's pattern must be a string literal", f'@{app}.get("/items/{{item_id}}")')
    pattern = d.args[0].value
    status = next((k.value for k in d.keywords if k.arg == "status"), d.args[1] if len(d.args) > 1 else None)
    defaults = [None] * (len(fn.args.args) - len(fn.args.defaults)) + list(fn.args.defaults)
    args = [argument(p, dflt, pattern, fn, report) for p, dflt in zip(fn.args.args, defaults)]
    if fn.args.kwonlyargs or fn.args.vararg or fn.args.kwarg:
        raise report.error(fn, f"route handler {fn.name}() takes positional parameters only",
                           "take path and query parameters by name, or the Request")
    ret = "None" if fn.returns is None else ast.unparse(fn.returns)
    reply = REPLIES.get(ret.split("[")[0].split(".")[-1], "object_reply")
    name = f"{fn.name}__route{n}"
    source = (f"def {name}(req: {HTTP}.Request) -> {HTTP}.Response:\n"
              f"    return {HTTP}.{reply}({fn.name}({', '.join(args)}), {ast.unparse(status) if status else 200})\n"
              f"{app}.add_route({method!r}, {pattern!r}, {name})\n")
    nodes = ast.parse(source).body
    for node in nodes:                                     # errors in them point at the decorator
        for sub in ast.walk(node):
            if hasattr(sub, "lineno"):
                sub.lineno, sub.col_offset = d.lineno, d.col_offset
                sub.end_lineno, sub.end_col_offset = d.end_lineno, d.end_col_offset
    return nodes


def argument(p: ast.arg, default: ast.expr | None, pattern: str, fn: ast.FunctionDef, report: Reporter) -> str:
    t = ast.unparse(p.annotation) if p.annotation is not None else ""
    if t.split(".")[-1] == "Request":
        return "req"
    kind = SCALARS.get(t)
    if kind is None:
        raise report.error(p, f"parameter '{p.arg}' of route handler {fn.name}() is '{t or 'unannotated'}'",
                           "a handler takes the Request, or int, float and str parameters from the path or query")
    parts = pattern.strip("/").split("/")
    if "{" + p.arg + "}" in parts:
        return f'{HTTP}.path_{kind}(req, {parts.index("{" + p.arg + "}")}, "{p.arg}")'
    return f'{HTTP}.query_{kind}(req, "{p.arg}", {ast.unparse(default) if default is not None else "None"})'
