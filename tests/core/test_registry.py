import pytest

from ganzoo.errors import DuplicateNameError, UnknownNameError
from ganzoo.registry import Registry


def test_register_and_get():
    reg = Registry("loss")
    reg.register("hinge", 1, plugin="a")
    assert reg.get("hinge") == 1
    assert reg.entry("hinge").plugin == "a"
    assert "hinge" in reg and reg.names() == ["hinge"]


def test_duplicate_names_both_plugins():
    reg = Registry("architecture")
    reg.register("dcgan", object(), plugin="first")
    with pytest.raises(DuplicateNameError, match="'first'.*'second'"):
        reg.register("dcgan", object(), plugin="second")


def test_unknown_name_lists_known_and_closest():
    reg = Registry("architecture")
    for name in ("dcgan", "progan", "sagan"):
        reg.register(name, object())
    with pytest.raises(UnknownNameError) as info:
        reg.get("proggan")
    message = str(info.value)
    assert "unknown architecture 'proggan'" in message
    assert "did you mean 'progan'" in message
    assert "dcgan, progan, sagan" in message


def test_no_suggestion_when_nothing_is_close():
    reg = Registry("loss")
    reg.register("hinge", 1)
    with pytest.raises(UnknownNameError) as info:
        reg.get("zzzzzz")
    assert "did you mean" not in str(info.value)
