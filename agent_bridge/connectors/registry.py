"""Which connector handles tickets: ``FORUM_BRIDGE_CONNECTOR`` names one of
``CONNECTORS``; each lives in its own module of this package."""
import importlib

from flask import current_app

CONNECTORS = {
    "builtin": "agent_bridge.connectors.builtin",
    "webhook": "agent_bridge.connectors.webhook",
    "request_tracker": "agent_bridge.connectors.request_tracker",
}


class UnknownConnector(LookupError):
    pass


def get(name=None, config=None):
    """The connector ``name`` (default: the configured one), set up from ``config``."""
    config = config if config is not None else current_app.config
    name = name or config["BRIDGE_CONNECTOR"]
    if name not in CONNECTORS:
        raise UnknownConnector(f"unknown connector {name!r}; choose one of "
                               f"{', '.join(CONNECTORS)}")
    return importlib.import_module(CONNECTORS[name]).Connector(config)


def configured_name(config=None):
    return (config if config is not None else current_app.config)["BRIDGE_CONNECTOR"]
