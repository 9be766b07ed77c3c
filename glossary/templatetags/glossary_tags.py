"""`{% glossary %}...{% endglossary %}`: annotate what the block renders with glossary terms.

The slugs already annotated live in the context of this one render, never on a shared object,
so "first occurrence on the page" spans the post body and the comments of the same page. They
sit in the outermost dict of the context's render_context: `{% include %}`, `{% block %}` and
the new contexts of inclusion tags (`context.new()`, `{% include ... only %}`) all share that
dict object, while every render starts with its own.
"""

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from glossary.annotation import annotate_html

register = template.Library()

SEEN_KEY = "_glossary_seen"


def page_seen(context: template.Context) -> set[str]:
    root = context.render_context.dicts[0]
    seen = root.get(SEEN_KEY)
    if seen is None:
        seen = root[SEEN_KEY] = set()
    return seen


class GlossaryNode(template.Node):
    def __init__(self, nodelist: template.NodeList, condition: FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.condition = condition

    def render(self, context: template.Context) -> SafeString:
        # The block's output is template output, already escaped; annotation keeps it so.
        html = self.nodelist.render(context)
        if self.condition is not None and not self.condition.resolve(context):
            return mark_safe(html)  # noqa: S308
        return mark_safe(annotate_html(html, page_seen(context)))  # noqa: S308


@register.tag("glossary")
def do_glossary(parser: Parser, token: Token) -> GlossaryNode:
    """`{% glossary %}` or `{% glossary page.glossary_enabled %}` (annotate only when true)."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("{% glossary %} takes at most one condition")
    condition = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endglossary",))
    parser.delete_first_token()
    return GlossaryNode(nodelist, condition)
