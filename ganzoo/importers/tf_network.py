"""The stand-in for ``dnnlib.tflib.Network`` in NVIDIA's TensorFlow network pickles.

``safe_pickle`` resolves the pickled class ``dnnlib.tflib.network.Network``
to :class:`TFNetwork`, which keeps the state the reference's
``Network.__getstate__`` wrote and checks its shape; the module source in it
is kept as text and never executed, and nothing of TensorFlow is needed.
"""

from __future__ import annotations

import numpy as np

from ganzoo.errors import UnsafePickleError


class TFNetwork:
    """A ``dnnlib.tflib.Network`` read without TensorFlow and without running its source.

    ``variables`` maps the network's own variable names (``"G_synthesis/4x4/Const/const"``
    style, without the sub-networks') to arrays; ``components`` holds the
    sub-networks, also ``TFNetwork``s.
    """

    name: str
    build_func_name: str
    build_module_src: str
    static_kwargs: dict
    components: dict
    variables: dict

    def __setstate__(self, state) -> None:
        if not isinstance(state, dict) or state.get("version") not in (2, 3, 4):
            raise UnsafePickleError("a dnnlib.tflib Network whose state is not a version 2-4 dict")
        variables = state.get("variables") or []
        if not all(isinstance(v, tuple | list) and len(v) == 2 and isinstance(v[0], str)
                   for v in variables):
            raise UnsafePickleError("a dnnlib.tflib Network whose variables are not (name, value)")
        components = dict(state.get("components") or {})
        if not all(isinstance(c, TFNetwork) for c in components.values()):
            raise UnsafePickleError("a dnnlib.tflib Network with a component that is not a Network")
        self.name = str(state.get("name"))
        self.build_func_name = str(state.get("build_func_name"))
        self.build_module_src = str(state.get("build_module_src", ""))  # text, never run
        self.static_kwargs = dict(state.get("static_kwargs") or {})
        self.components = components
        self.variables = {name: np.asarray(value) for name, value in variables}

    def all_variables(self) -> dict[str, np.ndarray]:
        """Own variables and the components', the latter as ``"<component name>/<var>"``
        (the reference's ``Network.vars``)."""
        out = dict(self.variables)
        for component in self.components.values():
            out.update((f"{component.name}/{k}", v)
                       for k, v in component.all_variables().items())
        return out

    def __repr__(self) -> str:
        return f"TFNetwork({self.name!r}, {self.build_func_name!r})"
