"""A quiet, fast CLI: no backend for --help/list, no TensorFlow log lines, plugin errors on stderr."""

import os
import re
import subprocess
import sys
import textwrap
import warnings

import pytest
from click.testing import CliRunner
from ganzoo_cli.main import cli
from ganzoo_cli.quiet import filtered_stderr, is_noise

import ganzoo
from ganzoo.plugins import get_plugin_manager

BACKENDS = ("keras", "tensorflow", "jax", "torch")
LOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:[\d.]+ +\d+ \S+:\d+\]", re.M)

# Runs the CLI in-process and prints which backend modules it loaded.
PROBE = textwrap.dedent("""
    import sys
    from ganzoo_cli.main import main
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
    print("LOADED", sorted(m for m in {backends!r} if m in sys.modules))
""").format(backends=BACKENDS)


def run_cli(args, env_extra=None, drop=("TF_CPP_MIN_LOG_LEVEL",), program=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    command = [sys.executable, "-c", program, *args] if program else \
        [sys.executable, "-m", "ganzoo_cli.main", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                          cwd=cwd)


def loaded_backends(result):
    line = [x for x in result.stdout.splitlines() if x.startswith("LOADED")][-1]
    return eval(line.split(" ", 1)[1])  # noqa: S307  (our own repr of a list of names)


def test_import_ganzoo_loads_no_backend():
    program = ("import sys, ganzoo; ganzoo.hookimpl; ganzoo.Architecture; ganzoo.GANConfig; "
               "ganzoo.list_architectures; from ganzoo.plugins import get_plugin_manager; "
               f"print('LOADED', sorted(m for m in {BACKENDS!r} if m in sys.modules))")
    result = run_cli([], program=program)
    assert result.returncode == 0, result.stderr
    assert loaded_backends(result) == []


def test_lazy_names_resolve_to_their_modules():
    from ganzoo.architecture import Architecture
    from ganzoo.gan import GAN

    assert ganzoo.GAN is GAN and ganzoo.Architecture is Architecture
    assert set(ganzoo.__all__) - {"__version__"} <= set(dir(ganzoo))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ganzoo.nope  # noqa: B018


def test_help_without_entry_point_plugins_loads_no_backend():
    # Core plugins only: entry-point plugins may import Keras at import time.
    result = run_cli(["--help"], {"GANZOO_PLUGINS": "none-selected"}, program=PROBE)
    assert "Usage: ganzoo" in result.stdout, result.stderr
    assert loaded_backends(result) == []


@pytest.mark.parametrize("command", [["--help"], ["list"]])
def test_help_and_list_load_no_backend(command):
    result = run_cli(command, program=PROBE)
    assert result.stdout.strip(), result.stderr
    assert loaded_backends(result) == []


def test_filtered_stderr_drops_log_lines_only(capfd):
    noise = ("WARNING: All log messages before absl::InitializeLog() is called are written to "
             "STDERR\nI0000 00:00:1795975042.614685    7367 port.cc:153] oneDNN custom "
             "operations are on.\nW0000 00:00:1795975042.6 7367 cuda.cc:1] no GPU\n")
    with filtered_stderr(level=3):
        os.write(2, (noise + "a real error the user must see\n").encode())
    assert capfd.readouterr().err == "a real error the user must see\n"
    # A user's TF_CPP_MIN_LOG_LEVEL=1 hides info lines but keeps warnings.
    assert is_noise("I0000 00:00:1.5 1 port.cc:153] info", 1)
    assert not is_noise("W0000 00:00:1.5 1 port.cc:153] warning", 1)
    assert not is_noise("I0000 00:00:1.5 1 port.cc:153] info", 0)


@pytest.mark.slow
def test_no_tensorflow_log_lines_unless_verbose():
    quiet = run_cli(["--backend", "tensorflow", "info", "dcgan"])
    assert quiet.returncode == 0, quiet.stderr
    assert "dcgan" in quiet.stdout
    assert not LOG_LINE.search(quiet.stderr) and "absl::InitializeLog" not in quiet.stderr
    assert quiet.stderr == ""
    verbose = run_cli(["--backend", "tensorflow", "--verbose", "info", "dcgan"])
    assert verbose.returncode == 0, verbose.stderr
    if not LOG_LINE.search(verbose.stderr):
        pytest.skip("this TensorFlow prints no start-up log lines to filter")


def test_plugin_hook_error_on_stderr_whatever_the_warnings_filter():
    class BrokenHook:
        @ganzoo.hookimpl
        def register_architectures(self, register):
            raise ValueError("hook failed on purpose")

    manager = get_plugin_manager()
    manager.register(BrokenHook(), name="broken-hook-plugin")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = CliRunner().invoke(cli, ["list", "--json"])
    finally:
        manager.unregister("broken-hook-plugin")
    assert result.exit_code == 0, result.output
    lines = [x for x in result.stderr.splitlines() if "broken-hook-plugin" in x]
    assert lines == ["Warning: ganzoo plugin 'broken-hook-plugin' failed to load: ValueError: "
                     "hook failed on purpose (skipped; GANZOO_STRICT_PLUGINS=1 makes this an "
                     "error)"]


def make_broken_distribution(root):
    (root / "broken_cli_plugin.py").write_text("raise RuntimeError('this plugin is broken')\n")
    info = root / "broken_cli_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken_cli_plugin\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text("[ganzoo]\nbroken_cli_plugin = broken_cli_plugin\n")


@pytest.mark.slow
@pytest.mark.parametrize("command", [["list"], ["--help"]])
def test_broken_plugin_reported_with_warnings_ignored(tmp_path, command):
    make_broken_distribution(tmp_path)
    result = run_cli(command, {"PYTHONWARNINGS": "ignore", "PYTHONPATH": str(tmp_path),
                               "GANZOO_STRICT_PLUGINS": "0"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [x for x in result.stderr.splitlines() if "broken_cli_plugin" in x]
    assert lines == ["Warning: ganzoo plugin 'broken_cli_plugin' failed to load: RuntimeError: "
                     "this plugin is broken (skipped; GANZOO_STRICT_PLUGINS=1 makes this an "
                     "error)"]
    assert "Traceback" not in result.stderr
