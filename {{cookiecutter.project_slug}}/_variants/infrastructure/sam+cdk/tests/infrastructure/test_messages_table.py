"""The message store's table as the stack deploys it, and who may use it."""

from policy_assertions import assert_messages_table_access
from stack_template import deployed


def test_the_messages_table_and_its_least_privilege_access():
    assert_messages_table_access(deployed())
