"""Profiles: named connection options in the configuration file, with the precedence
command line > environment > profile > default, against the embedded proxy. Secrets of a
profile (token, header values) never appear in output, errors or logs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio.cli import app
from alluxio.server import EmbeddedProxy

from .conftest import Outcome

DEAD = "http://127.0.0.1:1"
TOKEN = "tok-7f3a9c-secret"
HEADER_VALUE = "hv-41c2-secret"


def run(*args: str, **env: str | None) -> Outcome:
    """Run alluxio-py with ``env`` (None unsets); ALLUXIO_PROXY unset unless given."""
    full: dict[str, str | None] = {"ALLUXIO_PROXY": None, "ALLUXIO_PY_TOKEN": None, **env}
    result = CliRunner().invoke(app, list(args), env=full, catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The configuration file of the test (ALLUXIO_PY_CONFIG); not written yet."""
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("ALLUXIO_PY_CONFIG", str(path))
    monkeypatch.delenv("ALLUXIO_PROFILE", raising=False)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def marked(alluxio_proxy: EmbeddedProxy) -> str:
    """A file at / on the embedded proxy, to tell from a listing which proxy answered."""
    name = f"marker-{os.getpid()}"
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        if not client.exists(f"/{name}"):
            client.write_bytes(f"/{name}", b"m")
    return name


@pytest.fixture
def token_proxy(tmp_path: Path) -> Iterator[EmbeddedProxy]:
    """An embedded proxy that needs ``Authorization: Bearer TOKEN``."""
    with EmbeddedProxy(root=tmp_path / "token-root", token=TOKEN) as proxy:
        with alluxio.Client.from_url(proxy.url, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            c.write_bytes("/guarded", b"g")
        yield proxy


def test_default_profile_supplies_the_proxy(
    config: Path, alluxio_proxy: EmbeddedProxy, marked: str
) -> None:
    write(config, f'[profiles.default]\nproxy = "{alluxio_proxy.url}"\n')
    result = run("ls", "/")
    assert result.code == 0, result.err
    assert marked in result.out.split()


def test_named_profile_by_flag_before_or_after_the_command_and_by_environment(
    config: Path, alluxio_proxy: EmbeddedProxy, marked: str
) -> None:
    write(
        config,
        f'[profiles.default]\nproxy = "{DEAD}"\n\n'
        f'[profiles.local]\nproxy = ["{DEAD}", "{alluxio_proxy.url}"]\ntimeout = 30\n',
    )
    assert run("ls", "/").code == 1  # the default profile: nobody there
    for args in (("--profile", "local", "ls", "/"), ("ls", "/", "--profile", "local")):
        result = run(*args)
        assert result.code == 0, result.err  # fails over from the dead proxy of the list
        assert marked in result.out.split()
    assert run("ls", "/", ALLUXIO_PROFILE="local").code == 0
    # The flag beats the environment variable.
    assert run("--profile", "default", "ls", "/", ALLUXIO_PROFILE="local").code == 1


def test_precedence_flag_then_environment_then_profile_then_default(
    config: Path, alluxio_proxy: EmbeddedProxy
) -> None:
    write(config, f'[profiles.p]\nproxy = "{DEAD}"\ndialect = "1.x"\ntimeout = 7\n')
    shown = run("config", "show", "--profile", "p")
    assert shown.code == 0, shown.err
    lines = {line.split()[0]: line for line in shown.out.splitlines()}
    assert lines["proxy"] == f"proxy       {DEAD}  (profile 'p')"
    assert lines["timeout"].split()[1:] == ["7", "(profile", "'p')"]
    assert lines["dialect"].split()[1:] == ["1.x", "(profile", "'p')"]
    assert lines["insecure"].split()[1:] == ["false", "(default)"]
    assert lines["profile:"].split() == ["profile:", "p"]
    # The environment beats the profile, the flag beats both.
    shown = run("config", "show", "--profile", "p", ALLUXIO_PROXY=alluxio_proxy.url)
    assert f"proxy       {alluxio_proxy.url}  (ALLUXIO_PROXY)" in shown.out
    shown = run("--proxy", "http://flag:1", "config", "show", "--profile", "p", ALLUXIO_PROXY=DEAD)
    assert "proxy       http://flag:1  (--proxy)" in shown.out
    # And on the wire: the environment's proxy answers although the profile's is dead.
    write(config, f'[profiles.p]\nproxy = "{DEAD}"\n')
    assert run("--profile", "p", "ls", "/", ALLUXIO_PROXY=alluxio_proxy.url).code == 0
    # No file, no profile: the built-in default.
    config.unlink()
    shown = run("config", "show")
    assert "proxy       http://localhost:39999  (default)" in shown.out
    assert "profile:     (none)" in shown.out


def test_token_and_headers_of_a_profile_are_sent_and_never_shown(
    config: Path, token_proxy: EmbeddedProxy, caplog: pytest.LogCaptureFixture
) -> None:
    write(
        config,
        f'[profiles.default]\nproxy = "{token_proxy.url}"\ntoken = "{TOKEN}"\n'
        f'headers = {{ "X-Team" = "{HEADER_VALUE}" }}\n\n'
        f'[profiles.notoken]\nproxy = "{token_proxy.url}"\n',
    )
    caplog.set_level(logging.DEBUG)
    result = run("cat", "/guarded")
    assert result.code == 0, result.err
    assert result.out == "g"
    refused = run("--profile", "notoken", "cat", "/guarded")
    assert refused.code == 1 and "UNAUTHENTICATED" in refused.err, refused.err
    shown = run("config", "show")
    assert "token       ***  (profile 'default')" in shown.out
    assert "header      X-Team: ***  (profile 'default')" in shown.out
    # ALLUXIO_PY_TOKEN beats the profile's token (here: a wrong one, so 401).
    assert run("cat", "/guarded", ALLUXIO_PY_TOKEN="wrong").code == 1
    everything = [result, refused, shown]
    text = "".join(o.out + o.err for o in everything) + caplog.text
    assert TOKEN not in text and HEADER_VALUE not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A TOML syntax error names the file and the line.
        ("[profiles.x]\nproxy = http://a\n", "not valid TOML: Invalid value (at line 2, column 9)"),
        (
            '[profiles.x]\nproxi = "http://a"\n',
            "profile 'x': unknown key 'proxi'; did you mean 'proxy'?",
        ),
        (
            '[profiles.x]\ntimeout = "abc"\n',
            "profile 'x': timeout must be a positive number of seconds, not 'abc'",
        ),
        (
            "[profiles.x]\ntimeout = -3\n",
            "profile 'x': timeout must be a positive number of seconds, not -3",
        ),
        (
            '[profiles.x]\ndialect = "3"\n',
            "profile 'x': dialect must be one of 2.x, 1.x, auto, not '3'",
        ),
        (
            '[profiles.x]\ninsecure = "yes"\n',
            "profile 'x': insecure must be true or false, not 'yes'",
        ),
        (
            "[profiles.x]\nproxy = []\n",
            "profile 'x': proxy must be a URL or a list of URLs, not []",
        ),
        ('[profiles.x]\nproxy = "ftp://a"\n', "proxy: scheme must be 'http' or 'https', got 'ftp'"),
        (
            '[profile.x]\nproxy = "http://a"\n',
            "unknown section 'profile'; did you mean 'profiles'?",
        ),
        ('profiles = "x"\n', "profiles must be tables, [profiles.NAME]"),
        ('[profiles]\nx = "http://a"\n', "profile 'x': must be a table ([profiles.x])"),
        ('[profiles.x]\nkey = "k.pem"\n', "of CONFIG: --key needs --cert"),
    ],
)
def test_bad_configuration_is_one_line_naming_file_and_problem(
    config: Path, content: str, message: str
) -> None:
    write(config, content)
    result = run("--profile", "x", "ls", "/")
    assert result.code == 2
    assert result.err.startswith(f"alluxio-py: {config}: ") or result.err.startswith(
        "alluxio-py: profile 'x' of "
    ), result.err
    assert message.replace("CONFIG", str(config)) in result.err
    assert result.err.count("\n") == 1
    # The file is read only by commands that need a proxy.
    assert run("config", "path").out == f"{config}\n"


def test_secrets_of_the_wrong_type_or_shape_are_not_repeated(config: Path) -> None:
    write(config, "[profiles.default]\ntoken = 12345678\n")
    result = run("ls", "/")
    assert result.code == 2
    assert result.err.endswith("profile 'default': token must be a string\n")
    assert "12345678" not in result.err
    write(config, f'[profiles.default]\nheaders = {{ "X-Key" = "{HEADER_VALUE}\\r\\nX-In: 1" }}\n')
    result = run("ls", "/")
    assert result.code == 2 and "'X-Key'" in result.err
    assert HEADER_VALUE not in result.err and "X-In" not in result.err


def test_unknown_profile_lists_the_known_ones(config: Path) -> None:
    write(config, '[profiles.prod]\nproxy = "http://a"\n\n[profiles.dev]\nproxy = "http://b"\n')
    result = run("--profile", "prdo", "ls", "/")
    assert result.code == 2
    assert result.err == (
        "alluxio-py: --profile: unknown profile 'prdo'; did you mean 'prod'? "
        f"(known: dev, prod) in {config}\n"
    )
    result = run("ls", "/", ALLUXIO_PROFILE="staging")
    assert result.err == (
        f"alluxio-py: ALLUXIO_PROFILE: unknown profile 'staging' (known: dev, prod) in {config}\n"
    )
    assert run("config", "list").out == "dev\nprod\n"


def test_no_configuration_directory_at_all(config: Path, alluxio_proxy: EmbeddedProxy) -> None:
    assert not config.parent.exists()
    assert run("ls", "/", ALLUXIO_PROXY=alluxio_proxy.url).code == 0
    listed = run("config", "list")
    assert (listed.code, listed.out, listed.err) == (0, "", "")
    result = run("--profile", "prod", "ls", "/")
    assert result.code == 2
    assert result.err == (
        f"alluxio-py: profile 'prod' (--profile): there is no configuration file {config} "
        "(write one, or set ALLUXIO_PY_CONFIG to its path)\n"
    )
    assert not config.parent.exists()  # nothing is created


def test_configuration_path_that_is_a_directory(config: Path) -> None:
    config.mkdir(parents=True)
    result = run("ls", "/")
    assert (result.code, result.err) == (
        2,
        f"alluxio-py: {config}: is a directory, not a configuration file\n",
    )


def test_broken_configuration_does_not_stop_commands_without_a_proxy(config: Path) -> None:
    write(config, "[[[")
    assert run("config", "path").code == 0
    assert run("--help").code == 0
    assert run("serve", "--help").code == 0


def test_default_location_is_the_user_configuration_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALLUXIO_PY_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    import sys

    if sys.platform != "linux":
        pytest.skip("XDG_CONFIG_HOME is the Linux location")
    assert run("config", "path").out == f"{tmp_path}/xdg/alluxio-py/config.toml\n"


def test_paths_in_a_profile_are_relative_to_the_file(config: Path) -> None:
    # The files do not exist: the errors show where they were looked for.
    write(config, '[profiles.default]\nca_cert = "certs/ca.pem"\n')
    result = run("config", "show")
    assert result.code == 2
    assert result.err.startswith(f"alluxio-py: profile 'default' of {config}: ")
    assert f"'{config.parent}/certs/ca.pem'" in result.err
    write(config, '[profiles.default]\ncert = "~/no-such-cert.pem"\n')
    assert f"'{Path.home()}/no-such-cert.pem'" in run("config", "show").err


def test_http_proxy_credentials_are_masked(config: Path) -> None:
    write(config, '[profiles.default]\nhttp_proxy = "http://me:pw-9x@gw:3128"\n')
    shown = run("config", "show")
    assert "http_proxy  http://***@gw:3128  (profile 'default')" in shown.out
    assert "pw-9x" not in shown.out


def test_trust_env_off_by_profile_or_flag_ignores_http_proxy_variables(
    config: Path, alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dead HTTP proxy in the environment: used by default, ignored without trust_env.
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    env = {"HTTP_PROXY": DEAD, "ALLUXIO_PROXY": alluxio_proxy.url}
    through_dead = run("ls", "/", **env)
    assert through_dead.code == 1 and "CONNECTION_ERROR" in through_dead.err
    assert run("--no-trust-env", "ls", "/", **env).code == 0
    write(config, "[profiles.direct]\ntrust_env = false\n")
    assert run("--profile", "direct", "ls", "/", **env).code == 0
    # The flag beats the profile.
    assert run("--profile", "direct", "--trust-env", "ls", "/", **env).code == 1


def test_completion_asks_the_profiles_proxy(
    config: Path, alluxio_proxy: EmbeddedProxy, marked: str
) -> None:
    write(config, f'[profiles.local]\nproxy = "{alluxio_proxy.url}"\n')
    env = {
        "_ALLUXIO_PY_COMPLETE": "complete_bash",
        "COMP_WORDS": f"alluxio-py --profile local ls /{marked[:8]}",
        "COMP_CWORD": "4",
    }
    result = CliRunner().invoke(app, [], prog_name="alluxio-py", env=env)
    assert f"/{marked}" in result.stdout.split()
