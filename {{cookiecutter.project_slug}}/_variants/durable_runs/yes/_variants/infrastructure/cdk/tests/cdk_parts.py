"""The stack's optional parts, by the construct id their resources start with.

The runs function is checked by test_cdk_runs.py; the flavor's tests leave its resources out.
"""

PART_CONSTRUCTS = ("RunsFunction",)
