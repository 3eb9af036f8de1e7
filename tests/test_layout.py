"""Service tests call services: none imports a router or the app (STYLE.md, Tests)."""

import ast
from pathlib import Path

SERVICE_TESTS = Path(__file__).parent / "services"
FORBIDDEN = ("app.routers", "app.main")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_no_service_test_imports_a_router_or_the_app() -> None:
    offenders = sorted(
        f"{path.relative_to(SERVICE_TESTS)}: {module}"
        for path in SERVICE_TESTS.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN)
    )
    assert offenders == []
