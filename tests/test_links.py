"""Links: relative links resolve, the Binder badge opens an existing notebook, and the
nbgitpuller link template for a JupyterHub is well formed.

The repository's address is read from the README (its first https://github.com/OWNER/REPO
link), so the tests follow the README when the placeholder owner is replaced.
"""

import json
import pathlib
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_MD_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^)\s]+)")
_MD_REF = re.compile(r"(?m)^\s{0,3}\[[^\]\n]+\]:\s*(<[^>\n]*>|\S+)")
_HTML_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)\"'<>`\]]+")
_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?(?=[/\s)\"'`>#?]|$)")


def markdown_documents():
    """(name, folder the links are relative to, [(where, markdown text)]) for every checked file."""
    documents = []
    if README.exists():
        documents.append(("README.md", ROOT, [("", README.read_text(encoding="utf-8"))]))
    for path in sorted((ROOT / "docs").glob("*.md")):
        documents.append((f"docs/{path.name}", path.parent, [("", path.read_text(encoding="utf-8"))]))
    for folder in ("notebooks", "student"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            texts = [(f"cell {i}: ", "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                     for i, c in enumerate(cells) if c["cell_type"] == "markdown"]
            documents.append((f"{folder}/{path.name}", path.parent, texts))
    return documents


def relative_links(text):
    """Link targets that name a file of the repository (no scheme, no bare #anchor)."""
    text = _CODE.sub("", text)
    targets = [m.group(1) for m in _MD_LINK.finditer(text)] + [m.group(1) for m in _MD_REF.finditer(text)]
    targets = [t[1:-1] if t.startswith("<") else t for t in targets]
    targets += [m.group(2) for m in _HTML_ATTR.finditer(text)]
    return [t for t in targets if t and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", t)]


def _readme():
    assert README.exists(), "README.md is missing (it gets a Binder badge and an nbgitpuller link)"
    return README.read_text(encoding="utf-8")


def github_repository(text):
    """(owner, name) from the first https://github.com/OWNER/REPO address in ``text``, or None."""
    match = _GITHUB.search(text)
    return (match.group(1), match.group(2).rstrip(".")) if match else None  # "... at URL." ends a sentence


def repository():
    """(owner, name) of the course's repository: the README's first GitHub address, else its Binder link."""
    text = _readme()
    found = github_repository(text) or github_repository(
        re.sub(r"https://mybinder\.org/v2/gh/", "https://github.com/", text))
    assert found, "the README names the repository neither as https://github.com/OWNER/REPO nor by Binder"
    return found


def urls(text, marker):
    return [u.rstrip(".,;:") for u in _URL.findall(text) if marker in u]


# --------------------------------------------------------------------------- the tests

def test_readme_exists():
    _readme()


@pytest.mark.parametrize("name, folder, texts", [pytest.param(*d, id=d[0]) for d in markdown_documents()])
def test_relative_links_point_at_existing_files(name, folder, texts):
    broken = [where + target for where, text in texts for target in relative_links(text)
              if not (folder / unquote(re.split(r"[#?]", target)[0])).exists()]
    assert not broken, f"{name}: links to missing files: {broken}"


def test_binder_badge_opens_an_existing_notebook_in_jupyterlab():
    text = _readme()
    owner, name = repository()
    assert "https://mybinder.org/badge_logo.svg" in text, "the README shows the Binder badge image"
    launches = urls(text, "mybinder.org/v2/")
    assert launches, "the README has a https://mybinder.org/v2/gh/... launch link"
    for url in launches:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "mybinder.org", url
        path = parts.path.split("/")
        assert path[1:4] == ["v2", "gh", owner] and path[4] == name and len(path) >= 6 and path[5], (
            f"expected https://mybinder.org/v2/gh/{owner}/{name}/BRANCH?urlpath=...: {url}")
        query = parse_qs(parts.query)
        assert list(query) == ["urlpath"], f"open full JupyterLab with urlpath= only: {url}"
        urlpath = query["urlpath"][0]
        assert urlpath.startswith("lab/tree/notebooks/") and urlpath.endswith(".ipynb"), urlpath
        assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file(), f"no such notebook: {urlpath}"


def _puller_links():
    texts = [("README.md", _readme())]
    texts += [(f"docs/{p.name}", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "docs").glob("*.md"))]
    return [(where, url) for where, text in texts for url in urls(text, "/hub/user-redirect/git-pull")]


def test_readme_has_an_nbgitpuller_link():
    assert any(where == "README.md" for where, _ in _puller_links()), (
        "the README gives an nbgitpuller link: https://HUB/hub/user-redirect/git-pull?repo=...")


def test_nbgitpuller_links_are_well_formed():
    owner, name = repository()
    links = _puller_links()
    assert links
    for where, url in links:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc, f"{where}: {url}"
        assert parts.path.endswith("/hub/user-redirect/git-pull"), f"{where}: {url}"
        raw = dict(pair.split("=", 1) for pair in parts.query.split("&"))
        assert set(raw) >= {"repo", "branch", "urlpath"}, f"{where}: needs repo, branch and urlpath: {url}"
        assert set(raw) <= {"repo", "branch", "urlpath", "targetpath"}, f"{where}: unknown parameter: {url}"
        assert raw["repo"].startswith("https%3A%2F%2F"), f"{where}: URL-encode the repo address: {url}"
        repo = unquote(raw["repo"])
        assert repo.removesuffix(".git") == f"https://github.com/{owner}/{name}", f"{where}: {repo}"
        assert raw["branch"], f"{where}: empty branch"
        folder = unquote(raw.get("targetpath", name))  # nbgitpuller clones into the repository's name
        urlpath = unquote(raw["urlpath"])
        prefix = f"lab/tree/{folder}/"
        assert urlpath.startswith(prefix), f"{where}: urlpath starts with {prefix} (the clone folder): {url}"
        inside = urlpath.removeprefix(prefix)
        assert inside.startswith(("notebooks/", "student/")) and inside.endswith(".ipynb"), f"{where}: {url}"
        if "student/" not in inside or (ROOT / "student").is_dir():
            assert (ROOT / inside).is_file(), f"{where}: no such notebook: {inside}"


def test_link_helpers_on_known_text():
    text = ("See [A](01_a.ipynb#top), ![b](fig/b.png), [web](https://x.org), [here](#h), "
            '`[no](code.md)`, <img src="c.png">\n[ref]: ../d.md\n```\n[no](e.md)\n```')
    assert relative_links(text) == ["01_a.ipynb#top", "fig/b.png", "../d.md", "c.png"]
    for text in ("at https://github.com/OWNER/gradient-descent-from-scratch.",
                 "(https://github.com/OWNER/gradient-descent-from-scratch.git)",
                 "https://github.com/OWNER/gradient-descent-from-scratch/blob/main/README.md"):
        assert github_repository(text) == ("OWNER", "gradient-descent-from-scratch")
