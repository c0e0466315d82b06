"""Typed Python client for the Alluxio REST proxy."""
