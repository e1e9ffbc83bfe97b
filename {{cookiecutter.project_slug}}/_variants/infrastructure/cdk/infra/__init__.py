"""The CDK app's stack (stack.py), its settings (config.py) and the runtime flavor's functions (flavor.py)."""
