"""Operations: health, metrics, the doctor, the scheduler, error reports and log format.

A base package, like `core` and `pagecache`: it imports no feature app. What it knows of the apps
(comments waiting, say) it learns from `ops.registry`, which the apps fill in their `ready()`.
"""
