"""The action tracker."""
