"""Lockstep differential testing: a real Alluxio proxy and the embedded proxy, same requests.

:class:`Lockstep` is a hypothesis ``RuleBasedStateMachine``: each rule sends one request (raw
httpx, not this project's client) to both servers and compares the HTTP status and the body
after normalising only what must differ between two clusters (stream, file, block and mount
ids, times, absolute under-store paths, worker addresses). On a difference hypothesis shrinks
the sequence and prints it. Used by ``tests/differential/test_lockstep.py`` (CI budget) and
``scripts/differential`` (longer local runs).

Option bodies are drawn from the OpenAPI spec (``spec/alluxio-proxy.yaml``): every property of
each action's options schema that the dialect knows, with values from small pools that make
collisions likely.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import yaml
from alluxio_proxy_api.facade.fields import ACTIONS
from hypothesis import HealthCheck, Phase, settings
from hypothesis import seed as with_seed
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

__all__ = ["Lockstep", "Server", "configure", "run_lockstep"]

SPEC = Path(__file__).resolve().parents[2] / "spec" / "alluxio-proxy.yaml"
_OCTETS = {"content-type": "application/octet-stream"}

# Path components: plain, colliding, and awkward names (space, '#', '%', unicode, dots...).
NAMES = ["a", "b", "m1", "m2", "c d", "x#y", "p%41", "ü", "dot.txt", "e+f", "_", "~t"]
# Mount sources (relative to each server's own source directory).
SOURCES = ["s1", "s2", "s1/sub", "missing", "afile"]
# Every action with an options body, as the spec names it (generated from it).
ACTIONS_WITH_OPTIONS = dict(ACTIONS)
# Fields left out of generated bodies, and why.
_SKIPPED = {
    # Cluster-specific: no second user/group or worker tier to name on this machine.
    "owner",
    "group",
    "writeTier",
    "pinnedMedia",
    "locationPolicyClass",
    "cacheLocationPolicyClass",
    "ufsReadLocationPolicyClass",
    # Metadata sync against the under store: timing-dependent on a real master.
    "syncIntervalMs",
    "loadMetadataType",
    "loadMetadataOnly",
    "loadDirectChildren",
    "directChildrenLoaded",
    "syncDirNextTime",
    "operationId",
    # A worker of its own to write to: there is no worker "x" on either cluster.
    "workerLocation",
    # Each server has its own source directory; mount properties are separately tested.
    "properties",
    # A documented difference (docs/guides/embedded-vs-real.md): a real master forgets the
    # file and finds it again in the under store; the embedded proxy deletes it.
    "alluxioOnly",
}
_INTS = [-1, 0, 1, 3, 1024, 60000]


@dataclass(eq=False)
class Stream:
    """A stream the sequence opened: its id on each server (None: the open was refused).

    Kept by the model, whatever the servers answered, so that hypothesis draws never depend
    on server answers (its replays and shrinking need the same draws for the same choices).
    """

    real: int | None
    embedded: int | None
    kind: str  # "r", "w"
    path: str
    options: dict[str, Any] | None
    drained: bool = False


@dataclass
class Server:
    """One proxy under test: its base URL and the directory its mount sources live in."""

    name: str
    url: str
    sources: Path
    http: httpx.Client | None = None
    root: str = ""

    def client(self) -> httpx.Client:
        if self.http is None:
            # Generous for a loaded machine, yet a stalled server fails the run, not hangs it.
            self.http = httpx.Client(base_url=self.url, timeout=60)
        return self.http


@dataclass
class Config:
    """What the machine runs against (set by :func:`configure` before running it)."""

    real: Server | None = None
    embedded: Server | None = None
    dialect: str = "2.x"
    persist_timeout: float = 90.0
    # The first difference of a run, as reported before any shrinking (see run_lockstep).
    first_failure: str | None = None


CONFIG = Config()


def configure(real: Server, embedded: Server, dialect: str) -> None:
    """Point :class:`Lockstep` at two running servers; creates their mount sources."""
    CONFIG.real, CONFIG.embedded, CONFIG.dialect = real, embedded, dialect
    for server in (real, embedded):
        server.sources.mkdir(parents=True, exist_ok=True)
        info = server.client().get("/api/v1/proxy/info").json()
        server.root = info["configuration"]["alluxio.master.mount.table.root.ufs"]
        # The root is never empty (its answers differ then): sequences may delete their base.
        server.client().post("/api/v1/paths//lk-keep/create-directory", json={"allowExists": True})


# ---------------------------------------------------------------------- options from the spec


def _schemas() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text())
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _deref(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _value_strategy(
    name: str, schema: dict[str, Any], schemas: dict[str, Any], dialect: str
) -> st.SearchStrategy[Any] | None:
    schema = _deref(schema, schemas)
    if "enum" in schema:
        values = [v for v in schema["enum"] if isinstance(v, str)]
        if dialect == "2.x":
            values = [v for v in values if v.isupper() or v == v.upper()]
        elif name == "writeType":
            # 1.8.1 persists ASYNC_THROUGH files after a delay that grows with its retries
            # (seen: over 90 s on a loaded machine), too long for a bounded run; its states
            # are asserted by test_divergences.py (test_v1_file_states_...).
            values = [v for v in values if v != "ASYNC_THROUGH"]
        return st.sampled_from(values) if values else None
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        if name == "blockSizeBytes":
            # (Not 1: thousands of blocks take a real cluster minutes to write.)
            return st.sampled_from([64, 1024, 64 << 20])
        if name == "ttl":
            return st.sampled_from([-1, 60000, 3_600_000])
        if name == "persistenceWaitTime":
            # (Not a minute: the sequence waits for the file to be persisted, and a real
            # master takes the wait plus its own delay; the embedded proxy honours it too.)
            return st.sampled_from([-1, 0, 1, 1024])
        return st.sampled_from(_INTS)
    if kind == "string":
        return st.sampled_from(["", "x"])
    if kind == "object" and "properties" in schema:
        return _object_strategy(schema, schemas, dialect)
    if kind == "object":
        # xattr-like maps: small base64 values.
        return st.dictionaries(
            st.sampled_from(["k", "user.a"]),
            st.sampled_from([base64.b64encode(b"v").decode(), ""]),
            max_size=2,
        )
    return None


def _object_strategy(
    schema: dict[str, Any], schemas: dict[str, Any], dialect: str
) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, prop in schema.get("properties", {}).items():
        versions = prop.get("x-alluxio-versions")
        if name in _SKIPPED or (versions is not None and dialect not in versions):
            continue
        if prop.get("deprecated"):
            continue
        strategy = _value_strategy(name, prop, schemas, dialect)
        if strategy is not None:
            fields[name] = strategy
    required = set(_deref(schema, schemas).get("required", []))
    return st.fixed_dictionaries(
        {k: v for k, v in fields.items() if k in required},
        optional={k: v for k, v in fields.items() if k not in required},
    )


def option_strategies(dialect: str) -> dict[str, st.SearchStrategy[dict[str, Any] | None]]:
    """Per action: a strategy for its JSON body (None: no body), built from the spec."""
    schemas = _schemas()
    out: dict[str, st.SearchStrategy[dict[str, Any] | None]] = {}
    for action, name in ACTIONS_WITH_OPTIONS.items():
        body = _object_strategy(schemas[name], schemas, dialect)
        out[action] = st.one_of(st.none(), body)
    return out


# ---------------------------------------------------------------------- normalisation

_VOLATILE_KEYS = {
    "fileId",
    "blockId",
    "blockIds",
    "mountId",
    "workerId",
    "creationTimeMs",
    "lastModificationTimeMs",
    "lastAccessTimeMs",
    # Worker addresses and tiers: the embedded proxy has no workers of its own.
    "workerAddress",
    "locations",
    "fileIdentifier",
}
_ID_IN_TEXT = re.compile(r"(Acquired mount ID for the new mount point: )-?\d+")
_MODTIME = re.compile(r"modtime[:_]\d+")
_PROPERTY_VALUE = re.compile(
    r'(properties \{\n  key: "(?:[^"\\]|\\.)*"\n  value: )"(?:[^"\\]|\\.)*"'
)
_BASE_IN_SOURCES = re.compile(r"<SRC>/lk-[0-9a-f]{10}")
_COLUMN = re.compile(r"line: \d+, column: \d+")
_STREAM_OBJECT = re.compile(r"UnCloseableInputStream@[0-9a-f]+")
# Stream ids are each server's own counter (Jetty's error page names the request path).
_STREAM_URL = re.compile(r"/api/v1/streams/\d+/")
# Jackson 2.6 (1.8.1) lists known properties in hash order, ties in reflection order, which
# varies between JVM runs: compared as a set.
_KNOWN_PROPERTIES = re.compile(r"(known properties: )([^\]]*)\]")


def _sorted_names(match: re.Match[str]) -> str:
    return match.group(1) + ", ".join(sorted(match.group(2).split(", "))) + "]"


def normalize(value: Any, server: Server) -> Any:
    """``value`` with what legitimately differs between two servers replaced by markers."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _VOLATILE_KEYS:
                out[key] = "<volatile>"
            elif key == "xattr" and isinstance(item, dict):
                # The etag of a file written through encodes its modification time.
                out[key] = sorted(item)
            else:
                out[key] = normalize(item, server)
        return out
    if isinstance(value, list):
        return [normalize(v, server) for v in value]
    if isinstance(value, str):
        text = value.replace(str(server.sources), "<SRC>")
        if server.root:
            text = text.replace(server.root, "<ROOT>")
        text = _BASE_IN_SOURCES.sub("<SRC>/<base>", text)
        text = _ID_IN_TEXT.sub(r"\1<id>", text)
        text = _MODTIME.sub("modtime<t>", text)
        text = _PROPERTY_VALUE.sub(r'\1"<hidden>"', text)
        text = _COLUMN.sub("line: <l>, column: <c>", text)
        text = _KNOWN_PROPERTIES.sub(_sorted_names, text)
        text = _STREAM_URL.sub("/api/v1/streams/<id>/", text)
        return _STREAM_OBJECT.sub("UnCloseableInputStream@<obj>", text)
    return value


@dataclass
class Answer:
    """One server's answer, normalised for comparison."""

    status: int
    body: Any
    raw: httpx.Response

    def value(self) -> Any:
        return self.raw.json() if self.status == 200 and self.raw.content else None


def answer(response: httpx.Response, server: Server, *, octets: bool = False) -> Answer:
    if octets and response.status_code == 200:
        return Answer(200, response.content, response)
    try:
        body: Any = response.json() if response.content else None
    except ValueError:
        body = response.text
    return Answer(response.status_code, normalize(body, server), response)


# ---------------------------------------------------------------------- the state machine


class Lockstep(RuleBasedStateMachine):
    """Random request sequences sent to a real proxy and the embedded proxy alike.

    Every draw depends only on earlier draws (the model's paths and streams), never on what
    the servers answered: hypothesis replays and shrinks a sequence by its draws.
    """

    def __init__(self) -> None:
        super().__init__()
        assert CONFIG.real is not None and CONFIG.embedded is not None, "call configure()"
        self.real, self.emb = CONFIG.real, CONFIG.embedded
        self.dialect = CONFIG.dialect
        self.options = _OPTIONS[self.dialect]
        self.base = f"/lk-{uuid.uuid4().hex[:10]}"
        # Fresh mount sources per sequence (a recursive delete empties mounted directories).
        self.src = {}
        for server in (self.real, self.emb):
            root = server.sources / self.base.lstrip("/")
            (root / "s1" / "sub").mkdir(parents=True)
            (root / "s2").mkdir()
            (root / "afile").write_bytes(b"not a directory")
            self.src[server.name] = root
        # What the servers agreed on so far (only used to skip requests, never to draw).
        self.mounts: set[str] = set()
        self.streams: list[Stream] = []
        # Every path drawn so far: later steps pick among them to make collisions likely.
        self.known: list[str] = []
        # The paths the sequence asked to create (mounts and rename destinations included)
        # and did not ask to delete or move away since: the model's guess at what exists,
        # from the requests alone, so that steps often act on existing files and directories.
        self.present: list[str] = []
        self.step = 0
        # The requests sent so far, in order: printed with a difference.
        self.log: list[str] = []
        self.both("create-directory", self.base, None)

    # ------------------------------------------------------------------ plumbing

    def post(self, server: Server, url: str, **kw: Any) -> httpx.Response:
        return server.client().post(url, **kw)

    def compare(self, what: str, a: Answer, b: Answer) -> None:
        self.log.append(f"{self.step:3}. {what} -> {a.status}")
        if (a.status, a.body) != (b.status, b.body):
            lines = [f"step {self.step}: {what}"]
            if a.status == b.status and isinstance(a.body, (dict, list)):
                lines += [
                    f"  {where}: real {x!r} | embedded {y!r}"
                    for where, x, y in _diff(a.body, b.body)
                ]
            else:
                lines += [
                    f"  real:     {a.status} {a.body!r}",
                    f"  embedded: {b.status} {b.body!r}",
                ]
            lines += ["requests sent (real status):", *self.log]
            message = "\n".join(lines)
            if CONFIG.first_failure is None:
                CONFIG.first_failure = message
            raise AssertionError(message)

    def both(
        self,
        action: str,
        path: str,
        body: dict[str, Any] | None,
        params: dict[str, str] | None = None,
    ) -> tuple[Answer, Answer]:
        self.step += 1
        url = f"/api/v1/paths/{quote(path, safe='/')}/{action}"
        kw: dict[str, Any] = {"params": params}
        if body is not None:
            kw["json"] = body
        a = answer(self.post(self.real, url, **kw), self.real)
        src_b = dict(params or {})
        if "src" in src_b:
            src_b["src"] = src_b["src"].replace(
                str(self.src[self.real.name]), str(self.src[self.emb.name])
            )
            kw["params"] = src_b
        b = answer(self.post(self.emb, url, **kw), self.emb)
        shown = f"{action} {path!r} body={body!r} params={params!r}"
        if os.environ.get("LOCKSTEP_TRACE"):
            print(f"[{self.step}] {shown} -> {a.status}", file=sys.stderr)
        if action in ("create-file", "open-file"):
            # Stream ids are each server's own counter.
            for ans in (a, b):
                if ans.status == 200 and isinstance(ans.body, int):
                    ans.body = "<stream id>"
        if action == "list-status" and a.status == 200:
            a.body = _without_persistence_dirs(a.body)
        if action == "list-status" and a.status == b.status == 200 and self.dialect == "1.x":
            # A 1.8 master lists in no particular order.
            a.body, b.body = _sorted(a.body), _sorted(b.body)
        self.compare(shown, a, b)
        if a.status == 200 and action == "mount":
            self.mounts.add(path)
        if a.status == 200 and action in ("unmount", "delete"):
            self.mounts = {m for m in self.mounts if not _under(m, path)}
        return a, b

    def path(self, data: st.DataObject) -> str:
        choice = data.draw(st.integers(0, 9), label="path kind")
        if self.present and choice < 3:
            return data.draw(st.sampled_from(self.present), label="present path")
        if self.known and choice < 5:
            return data.draw(st.sampled_from(self.known), label="known path")
        if self.present and choice < 8:
            parent = data.draw(st.sampled_from(self.present), label="present parent")
            path = _join(parent, data.draw(st.sampled_from(NAMES), label="name"))
        else:
            depth = data.draw(st.integers(1, 3), label="depth")
            parts = [data.draw(st.sampled_from(NAMES), label="name") for _ in range(depth)]
            path = self.base + "/" + "/".join(parts)
        if path not in self.known:
            self.known.append(path)
        return path

    def created(self, path: str, *, recursive: bool = True) -> None:
        """The sequence asked to create ``path`` (answer-independent: see ``present``); without
        ``recursive`` that needs its parent to be there."""
        parent = path.rsplit("/", 1)[0]
        there = recursive or parent == self.base or parent in self.present
        if there and path not in self.present:
            self.present.append(path)

    def removed(self, path: str) -> None:
        """The sequence asked to delete or move ``path`` and everything under it."""
        self.present = [p for p in self.present if not _under(p, path)]

    def wait_persisted(self, path: str, extra: float = 0.0) -> None:
        """Poll both servers until ``path`` left TO_BE_PERSISTED, as a waiting client does
        (``extra``: the persistence wait the file was created with, in seconds)."""
        for server in (self.real, self.emb):
            deadline = time.monotonic() + CONFIG.persist_timeout + extra
            while time.monotonic() < deadline:
                r = self.post(server, f"/api/v1/paths/{quote(path, safe='/')}/get-status")
                info = r.json() if r.status_code == 200 else {}
                # (A file left incomplete, its write refused, is never persisted.)
                if info.get("persistenceState") != "TO_BE_PERSISTED" or not info["completed"]:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError(f"{server.name}: {path} not persisted in time")

    def opened(
        self, kind: str, path: str, opts: dict[str, Any] | None, a: Answer, b: Answer
    ) -> Stream:
        """The model's record of a create-file or open-file (ids None when refused)."""
        ids = (a.value(), b.value()) if a.status == 200 else (None, None)
        return Stream(ids[0], ids[1], kind, path, opts)

    # ------------------------------------------------------------------ rules: paths

    @rule(data=st.data())
    def create_directory(self, data: st.DataObject) -> None:
        path = self.path(data)
        opts = data.draw(self.options["create-directory"])
        self.both("create-directory", path, opts)
        self.created(path, recursive=bool((opts or {}).get("recursive")))

    @rule(
        data=st.data(), content=st.sampled_from([b"", b"hello", b"x" * 5000]), close=st.booleans()
    )
    def create_file(self, data: st.DataObject, content: bytes, close: bool) -> None:
        path = self.path(data)
        opts = data.draw(self.options["create-file"], label="options")
        if (opts or {}).get("overwrite"):
            # The blocks a stream writes after its file was replaced by an overwriting
            # create-file go to the new file on 2.9.6 (a documented difference, see
            # docs/guides/embedded-vs-real.md): the model closes the old stream first.
            for old in [s for s in self.streams if s.kind == "w" and s.path == path]:
                self.streams.remove(old)
                self.close_stream(old)
        rmax, rmin = (opts or {}).get("replicationMax", -1), (opts or {}).get("replicationMin", 0)
        if opts and opts.get("overwrite") and rmax != -1 and rmin > rmax:
            # Refused for its replication, an overwrite has removed the old file from Alluxio
            # first; whether a real master then finds it in the under store depends on what
            # it loaded before (see "Metadata loading" in docs/guides/embedded-vs-real.md;
            # test_divergences.py asserts the case it answers deterministically).
            opts = {**opts, "overwrite": False}
        a, b = self.both("create-file", path, opts)
        stream = self.opened("w", path, opts, a, b)
        # (1.x creates a file's parents unless told not to.)
        self.created(path, recursive=(opts or {}).get("recursive", self.dialect == "1.x"))
        if content:
            self.stream_call(stream, "write", content)
        if close:
            self.close_stream(stream)
        else:
            self.streams.append(stream)

    def settle(self, path: str, opts: dict[str, Any] | None) -> None:
        """After closing a file: compare its state, then wait until it is persisted."""
        write_type = (opts or {}).get("writeType")
        default = "ASYNC_THROUGH" if self.dialect == "2.x" else "MUST_CACHE"
        on_demand = (opts or {}).get("persistenceWaitTime") == -1
        if (write_type or default) == "ASYNC_THROUGH" and not on_demand:
            self.both("get-status", path, None)
            wait = (opts or {}).get("persistenceWaitTime", 0)
            self.wait_persisted(path, extra=max(0, wait) / 1000)

    def stream_call(self, stream: Stream, action: str, content: bytes | None) -> None:
        if stream.real is None or stream.embedded is None:
            return  # the servers refused to open it (and agreed on that)
        self.call_stream_ids(stream.real, stream.embedded, stream.kind, action, content)
        if action == "read":
            stream.drained = True

    def call_stream_ids(
        self, real_id: int, emb_id: int, kind: str, action: str, content: bytes | None
    ) -> None:
        self.step += 1
        kw: dict[str, Any] = {}
        if content is not None:
            kw = {"content": content, "headers": _OCTETS}
        ra = self.post(self.real, f"/api/v1/streams/{real_id}/{action}", **kw)
        rb = self.post(self.emb, f"/api/v1/streams/{emb_id}/{action}", **kw)
        octets = action == "read"
        self.compare(
            f"stream {action} ({kind}) {len(content or b'')} bytes",
            answer(ra, self.real, octets=octets),
            answer(rb, self.emb, octets=octets),
        )

    def close_stream(self, stream: Stream) -> None:
        """Close as a careful client does: a read stream is read to its end first.

        (Closing a 2.9.6 read stream with unread data can block for minutes: the worker's
        block reader waits out alluxio.user.streaming.data.read.timeout.)
        """
        if stream.kind == "r" and not stream.drained:
            self.stream_call(stream, "read", None)
        self.stream_call(stream, "close", None)
        if stream.kind == "w" and stream.real is not None:
            self.settle(stream.path, stream.options)

    @precondition(lambda self: bool(self.streams))
    @rule(data=st.data(), action=st.sampled_from(["write", "read", "close"]))
    def use_stream(self, data: st.DataObject, action: str) -> None:
        stream = data.draw(st.sampled_from(self.streams), label="stream")
        if action == "close":
            self.streams.remove(stream)
            self.close_stream(stream)
        else:
            self.stream_call(stream, action, b"more" if action == "write" else None)

    @rule(action=st.sampled_from(["write", "read", "close"]), sid=st.sampled_from([0, 99_999]))
    def unknown_stream(self, action: str, sid: int) -> None:
        self.call_stream_ids(sid, sid, "unknown", action, b"z" if action == "write" else None)

    @rule(data=st.data(), read=st.booleans())
    def open_file(self, data: st.DataObject, read: bool) -> None:
        path = self.path(data)
        opts = data.draw(self.options["open-file"], label="options")
        stream = self.opened("r", path, opts, *self.both("open-file", path, opts))
        if read:
            self.close_stream(stream)
        else:
            self.streams.append(stream)

    @rule(data=st.data())
    def get_status(self, data: st.DataObject) -> None:
        self.both("get-status", self.path(data), data.draw(self.options["get-status"]))

    @rule(data=st.data())
    def list_status(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from([self.base, self.path(data)]), label="dir")
        self.both("list-status", path, data.draw(self.options["list-status"]))

    @rule(data=st.data())
    def exists(self, data: st.DataObject) -> None:
        self.both("exists", self.path(data), data.draw(self.options["exists"]))

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        path = self.path(data)
        opts = data.draw(self.options["delete"])
        # A file deleted while written through reaches the under store when its stream is
        # closed; whether a real master then lists it depends on what it loaded from there
        # before (see "Metadata loading" in docs/guides/embedded-vs-real.md; the embedded
        # proxy always shows it, and test_divergences.py asserts the case that a real master
        # answers deterministically). The model closes such streams first.
        for stream in [s for s in self.streams if _through(s) and _under(s.path, path)]:
            self.streams.remove(stream)
            self.close_stream(stream)
        self.both("delete", path, opts)
        self.removed(path)

    @rule(data=st.data())
    def delete_root(self, data: st.DataObject) -> None:
        # Never recursive: the servers are shared with other tests.
        self.both("delete", "/", data.draw(st.sampled_from([None, {"recursive": False}])))

    @rule(data=st.data())
    def rename_onto_itself(self, data: st.DataObject) -> None:
        # Mostly an existing path (in the model): a server has something to get wrong there.
        src = self.path(data)
        present: bool = bool(self.present) and data.draw(st.booleans(), label="present")
        if present:
            src = data.draw(st.sampled_from(self.present), label="present path")
        self.both("rename", src, data.draw(self.options["rename"]), {"dst": src})

    @rule(data=st.data(), how=st.sampled_from(["plain", "query", "missing", "root"]))
    def rename(self, data: st.DataObject, how: str) -> None:
        src = self.path(data)
        if how == "query":
            dst = self.path(data) + "?x=1"
        elif how == "missing":
            dst = f"{self.base}/no/such/{data.draw(st.sampled_from(NAMES))}"
        elif how == "root":
            src, dst = data.draw(st.sampled_from([("/", self.path(data)), (src, "/")]))
        else:
            dst = self.path(data)
        a, _b = self.both("rename", src, data.draw(self.options["rename"]), {"dst": dst})
        if a.status == 200 and src != dst:
            # (What the servers agreed on: only used to close streams before a delete.)
            for stream in self.streams:
                if _under(stream.path, src):
                    stream.path = dst.split("?", 1)[0] + stream.path[len(src) :]
        if src != dst and src != "/" and dst != "/":
            moved = [p for p in self.present if _under(p, src)]
            self.removed(src)
            for p in moved:
                self.created(dst.split("?", 1)[0] + p[len(src) :])

    @rule(data=st.data())
    def free(self, data: st.DataObject) -> None:
        path = self.path(data)
        opts = data.draw(self.options["free"])
        a, _b = self.both("free", path, opts)
        if a.status == 200:
            self.wait_freed(path, forced=bool((opts or {}).get("forced")))

    def wait_freed(self, path: str, *, forced: bool) -> None:
        """Poll the real server until the freed files left Alluxio storage.

        A real master drops their blocks with the next worker heartbeat; the embedded proxy
        at once (a documented difference): a client that waits sees the same end state.
        """
        url = f"/api/v1/paths/{quote(path, safe='/')}/list-status"
        deadline = time.monotonic() + CONFIG.persist_timeout
        while time.monotonic() < deadline:
            r = self.post(self.real, url, json={"recursive": True})
            entries = r.json() if r.status_code == 200 else []
            if not any(
                not e["folder"]
                and e["length"] > 0
                and e["persisted"]
                and e["inAlluxioPercentage"] > 0
                and (forced or not e["pinned"])
                for e in entries
            ):
                return
            time.sleep(0.2)

    @rule(data=st.data())
    def set_attribute(self, data: st.DataObject) -> None:
        self.both("set-attribute", self.path(data), data.draw(self.options["set-attribute"]))

    @rule(data=st.data(), source=st.sampled_from(SOURCES))
    def mount(self, data: st.DataObject, source: str) -> None:
        path = data.draw(
            st.sampled_from([f"{self.base}/m1", f"{self.base}/m2", self.path(data)]),
            label="mount point",
        )
        opts = data.draw(self.options["mount"], label="options")
        if self.dialect == "2.x" and any(_under(path, m) and path != m for m in self.mounts):
            return  # deliberate difference: the embedded proxy does not nest mounts
        src = str(self.src[self.real.name] / source)
        a, _b = self.both("mount", path, opts, {"src": src})
        self.created(path, recursive=False)
        if a.status == 200:
            # A real master learns a mount's contents when they are listed.
            self.both("list-status", path, {"recursive": True})

    @rule(data=st.data())
    def unmount(self, data: st.DataObject) -> None:
        path = data.draw(
            st.sampled_from([f"{self.base}/m1", f"{self.base}/m2", "/", self.path(data)]),
            label="mount point",
        )
        self.both("unmount", path, None)

    @rule(data=st.data(), body=st.sampled_from([b"{", b'{"nope": 1}', b"[]", b"null", b"{}"]))
    def odd_body(self, data: st.DataObject, body: bytes) -> None:
        action = data.draw(st.sampled_from(sorted(ACTIONS_WITH_OPTIONS)), label="action")
        if action in ("mount", "rename", "create-file", "open-file"):
            action = "get-status"  # these need parameters or leave streams behind
        self.step += 1
        url = f"/api/v1/paths/{quote(self.path(data), safe='/')}/{action}"
        headers = {"content-type": "application/json"}
        a = answer(self.post(self.real, url, content=body, headers=headers), self.real)
        b = answer(self.post(self.emb, url, content=body, headers=headers), self.emb)
        self.compare(f"{action} with body {body!r}", a, b)

    @invariant()
    def base_listing_agrees(self) -> None:
        # The whole tree, after every step (cheap: a handful of entries).
        self.both("list-status", self.base, {"recursive": True})

    def teardown(self) -> None:
        # Cleanup only, never a comparison: an error here would hide the difference found.
        for stream in self.streams:
            if stream.real is None or stream.embedded is None:
                continue
            for server, sid in ((self.real, stream.real), (self.emb, stream.embedded)):
                if stream.kind == "r" and not stream.drained:
                    self.post(server, f"/api/v1/streams/{sid}/read")
                self.post(server, f"/api/v1/streams/{sid}/close")
        # Leave nothing behind on the shared servers.
        opts: dict[str, Any] = {"recursive": True}
        if self.dialect == "2.x":
            opts["deleteMountPoint"] = True
        for server in (self.real, self.emb):
            self.post(server, f"/api/v1/paths/{quote(self.base)}/delete", json=opts)


def _diff(a: Any, b: Any, where: str = "$") -> list[tuple[str, Any, Any]]:
    """Where two JSON values differ: (location, real value, embedded value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(a) | set(b)):
            out += _diff(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            name = x.get("path", i) if isinstance(x, dict) else i
            out += _diff(x, y, f"{where}[{name}]")
        return out
    return [] if a == b else [(where, a, b)]


# Where a real master's persistence jobs stage files in a mount's under store; it shows in
# a listing whenever the master happens to load that directory again (documented).
_PERSISTENCE_DIR = ".alluxio_ufs_persistence"


def _without_persistence_dirs(listing: Any) -> Any:
    """A real listing without the persistence jobs' staging directories, each directory's
    length (its number of children) without them."""
    if not isinstance(listing, list):
        return listing
    staged = [
        e for e in listing if isinstance(e, dict) and _PERSISTENCE_DIR in e["path"].split("/")
    ]
    if not staged:
        return listing
    parents = [e["path"].rsplit("/", 1)[0] for e in staged if e["name"] == _PERSISTENCE_DIR]
    out = []
    for entry in listing:
        if entry in staged:
            continue
        count = parents.count(entry["path"])
        if count:
            entry = {**entry, "length": entry["length"] - count}
            if isinstance(entry.get("fileInfo"), dict):
                entry["fileInfo"] = {**entry["fileInfo"], "length": entry["length"]}
        out.append(entry)
    return out


def _through(stream: Stream) -> bool:
    """A write stream whose bytes go to the under store as they are written."""
    write_type = (stream.options or {}).get("writeType")
    return stream.kind == "w" and write_type in ("THROUGH", "CACHE_THROUGH")


def _join(parent: str, name: str) -> str:
    return parent.rstrip("/") + "/" + name


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def _sorted(listing: Any) -> Any:
    if isinstance(listing, list):
        return sorted(listing, key=lambda i: json.dumps(i, sort_keys=True))
    return listing


_OPTIONS = {d: option_strategies(d) for d in ("2.x", "1.x")}


def run_lockstep(
    real: Server,
    embedded: Server,
    dialect: str,
    *,
    seed: int,
    examples: int,
    steps: int,
    shrink: bool = True,
) -> None:
    """Run :class:`Lockstep` against two servers; AssertionError with the sequence on a
    difference (hypothesis adds the shrunk rules as notes; a note names the seed).

    Shrinking replays sequences against the real server; if a replay does not fail the same
    way (hypothesis's ``Flaky``: the real server's timing decided), the first difference is
    reported as found, unshrunk.
    """
    configure(real, embedded, dialect)
    CONFIG.first_failure = None
    replay = f"scripts/differential --seed {seed} --dialect {dialect}"
    # A class of its own per run: the seed is an attribute of the class it decorates.
    machine = with_seed(seed)(type("Lockstep", (Lockstep,), {}))
    try:
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples,
                stateful_step_count=steps,
                deadline=None,
                database=None,
                # (No explain phase: it replays the failure many more times, minutes against
                # a real server, to point at lines of this harness.)
                phases=[
                    p for p in Phase if p is not Phase.explain and (shrink or p is not Phase.shrink)
                ],
                report_multiple_bugs=False,
                # The real servers are slow: hypothesis's speed checks do not apply.
                suppress_health_check=list(HealthCheck),
            ),
        )
    except AssertionError as exc:
        exc.add_note(f"lockstep seed {seed}; replay: {replay}")
        raise
    except Flaky as exc:
        raise AssertionError(
            f"{CONFIG.first_failure or exc}\n(not shrunk: a replay did not fail the same way: "
            f"{type(exc).__name__})\nlockstep seed {seed}; replay: {replay}"
        ) from exc
    finally:
        for server in (real, embedded):
            if server.http is not None:
                server.http.close()
                server.http = None
