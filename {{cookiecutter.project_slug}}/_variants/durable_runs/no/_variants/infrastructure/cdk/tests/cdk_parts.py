"""The stack's optional parts, by the construct id their resources start with: none in this kit,
so the flavor's tests see every resource of the stack."""

PART_CONSTRUCTS: tuple[str, ...] = ()
