"""Fields computed on first access: one mechanism for the costly figures of a result.

A test can hand a result a :class:`Deferred` instead of a value for a field whose cost
exceeds the test's own (the Hodges-Lehmann estimate and interval of the signed-rank test:
order statistics of ``n (n + 1) / 2`` Walsh averages). The class declares those fields
with :func:`lazy_fields`; reading one computes it once and stores the value in place, so
every later read, ``print``, ``to_dict``, ``to_json``, ``==``, ``hash``, ``copy`` and
``pickle`` see the plain value. Converters pass a :class:`Deferred` through as it is
(:func:`convert_or_defer`); the field's converter is applied to the value when it is
computed, so no layer of wrappers builds up between the computation and the field.

This is how scipy's result objects treat their intervals (``confidence_interval()`` is
computed on request), without a method call: the attribute is the same either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import attrs

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = [
    "Deferred",
    "convert_or_defer",
    "evolve",
    "is_pending",
    "lazy_fields",
    "peek",
    "shared",
]

T = TypeVar("T")


class Deferred(Generic[T]):
    """A value to compute when a lazy field is first read.

    Parameters
    ----------
    compute : callable
        Called with no arguments, once per field that holds this object; share costly
        work between fields with :func:`shared`.
    """

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute

    def resolve(self) -> T:
        """Compute the value."""
        return self._compute()

    def __repr__(self) -> str:
        return "<not computed yet>"


def shared(compute: Callable[[], T]) -> Callable[[], T]:
    """``compute`` run at most once, its value kept for every later call (thread-safe).

    Several :class:`Deferred` fields that come from one computation (an estimate and both
    limits of its interval) each call the shared function.
    """
    lock = threading.Lock()
    box: list[T] = []

    def once() -> T:
        if not box:
            with lock:
                if not box:
                    box.append(compute())
        return box[0]

    return once


def convert_or_defer(value: Any, convert: Callable[[Any], T]) -> T:
    """``convert(value)``; a :class:`Deferred` is passed through, to convert when computed.

    For the converters of lazy fields (attrs wants a named function per field): the field
    (:func:`lazy_fields`) applies its converter to the computed value.
    """
    if value.__class__ is Deferred:
        return value  # type: ignore[return-value]  # stored as pending
    return convert(value)


_UNKNOWN = object()


class _LazySlot:
    """The descriptor of a lazy field of a slotted attrs class (wraps the slot's own).

    The field's converter, as the instance's class declares it (a subclass may redeclare
    the field), is applied to the value when it is computed; ``converters`` keeps it per
    class.
    """

    __slots__ = ("converters", "member", "name")

    def __init__(
        self, member: Any, name: str, owner: type, convert: Callable[[Any], Any] | None
    ) -> None:
        self.member = member
        self.name = name
        self.converters: dict[type, Callable[[Any], Any] | None] = {owner: convert}

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.member.__get__(instance, owner)
        if value.__class__ is Deferred:
            value = value.resolve()
            cls = type(instance)
            convert = self.converters.get(cls, _UNKNOWN)
            if convert is _UNKNOWN:
                field = attrs.fields_dict(cls)[self.name]
                # a plain function: lazy_fields refuses attrs' Converter objects
                convert = self.converters[cls] = field.converter  # type: ignore[assignment]
            if convert is not None:
                if value.__class__ is Deferred:
                    raise TypeError(
                        f"{cls.__name__}.{self.name} was computed as a Deferred, not a value"
                    )
                value = convert(value)  # type: ignore[operator]  # a function (lazy_fields)
            self.member.__set__(instance, value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        self.member.__set__(instance, value)

    def __delete__(self, instance: Any) -> None:
        self.member.__delete__(instance)


def lazy_fields(*names: str) -> Callable[[type[T]], type[T]]:
    """Class decorator (outside ``attrs.frozen``): these fields may hold a :class:`Deferred`.

    The class must be a slotted attrs class that defines the fields itself; subclasses
    inherit the behaviour. A field's converter must pass a :class:`Deferred` through
    (:func:`convert_or_defer`); it is applied to the value when that is computed.
    """

    def apply(cls: type[T]) -> type[T]:
        fields = attrs.fields_dict(cast("type[AttrsInstance]", cls))  # an attrs class
        for name in names:
            member = cls.__dict__.get(name)
            if member is None or isinstance(member, _LazySlot):
                raise TypeError(f"{cls.__name__} has no slot {name!r} of its own")
            convert = fields[name].converter
            if convert is not None and not callable(convert):
                raise TypeError(f"the converter of {cls.__name__}.{name} is not a function")
            setattr(cls, name, _LazySlot(member, name, cls, convert))
        return cls

    return apply


def peek(instance: Any, name: str, *default: Any) -> Any:
    """The stored value of a field: a :class:`Deferred` stays as it is (nothing computed).

    As ``getattr(instance, name[, default])`` otherwise.
    """
    descriptor = getattr(type(instance), name, None)
    if isinstance(descriptor, _LazySlot):
        return descriptor.member.__get__(instance, type(instance))
    return getattr(instance, name, *default)


def is_pending(instance: Any, name: str) -> bool:
    """Whether field ``name`` of ``instance`` is still to be computed."""
    return peek(instance, name).__class__ is Deferred


def evolve(instance: T, **changes: Any) -> T:
    """``attrs.evolve`` that leaves fields still to be computed uncomputed.

    A copy of the frozen attrs ``instance`` with ``changes``; every other field is passed
    on as stored (:func:`peek`), so a :class:`Deferred` stays pending in the copy.
    """
    cls = type(instance)
    arguments = {
        field.alias: peek(instance, field.name)
        for field in attrs.fields(cast("type[AttrsInstance]", cls))  # an attrs class
        if field.init and field.alias not in changes
    }
    return cls(**arguments, **changes)
