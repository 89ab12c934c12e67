from dataclasses import dataclass

import pytest

from ganzoo.errors import DuplicateNameError, GanzooError, UnknownNameError
from ganzoo.registry import Named, Registry


@dataclass
class Thing:
    name: str


def test_register_takes_the_object_which_carries_its_name():
    reg = Registry("loss")
    hinge = Thing("hinge")
    assert reg.register(hinge, plugin="a") is hinge
    assert reg.get("hinge") is hinge
    assert reg.entry("hinge").plugin == "a"
    assert "hinge" in reg and reg.names() == ["hinge"]


def test_an_object_without_a_name_is_refused():
    reg = Registry("loss")
    with pytest.raises(GanzooError, match="carries its name.*'name'"):
        reg.register(object())
    with pytest.raises(GanzooError, match="carries its name"):
        reg.register(Thing(""))


def test_the_old_name_and_object_form_says_what_to_call():
    reg = Registry("loss")
    with pytest.raises(GanzooError, match=r"call register\(obj\)"):
        reg.register("hinge", Thing("hinge"))
    assert len(reg) == 0


def test_named_gives_a_factory_a_name_and_still_calls_it():
    reg = Registry("feature extractor")
    reg.register(Named("double", lambda x: 2 * x))
    assert reg.get("double")(x=4) == 8


def test_duplicate_names_both_plugins():
    reg = Registry("architecture")
    reg.register(Thing("dcgan"), plugin="first")
    with pytest.raises(DuplicateNameError, match="'first'.*'second'"):
        reg.register(Thing("dcgan"), plugin="second")


def test_unknown_name_lists_known_and_closest():
    reg = Registry("architecture")
    for name in ("dcgan", "progan", "sagan"):
        reg.register(Thing(name))
    with pytest.raises(UnknownNameError) as info:
        reg.get("proggan")
    message = str(info.value)
    assert "unknown architecture 'proggan'" in message
    assert "did you mean 'progan'" in message
    assert "dcgan, progan, sagan" in message


def test_no_suggestion_when_nothing_is_close():
    reg = Registry("loss")
    reg.register(Thing("hinge"))
    with pytest.raises(UnknownNameError) as info:
        reg.get("zzzzzz")
    assert "did you mean" not in str(info.value)
