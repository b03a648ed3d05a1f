"""Two articles side by side.

- `screen`: `ComparisonScreen`, the aligned pairs and the current one;
- `pairs`: the pairs seen from either side, the one to start on, their markers and line;
- `column`, `passage`: one article's column and its passages with their pair markers;
- `entities`: the entities both name and those only one names;
- `picker`: which article to compare with (wire copy first).
"""
