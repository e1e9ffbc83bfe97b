"""The CDK app's stack (stack.py) and its settings (config.py): the functions the image runs as
(flavor.py), the model they call (model.py), where replies go (replies.py) and the parts the
stack adds around them (parts/)."""
