"""`{% glossary %}...{% endglossary %}`: annotate what the block renders with glossary terms.

The tag annotates through the live glossary (`registry.annotate`, which remembers long results), and keeps
the page's first-occurrence memory through `annotation.page_memory(context)`: every `{% glossary %}`
block of one render (the post body, then the discussion) shares one set of annotated terms.
"""

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from glossary.annotation import page_memory
from glossary.registry import annotate

register = template.Library()


class GlossaryNode(template.Node):
    def __init__(self, nodelist: template.NodeList, condition: FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.condition = condition

    def render(self, context: template.Context) -> SafeString:
        # The block's output is template output, already escaped; annotation keeps it so.
        html = self.nodelist.render(context)
        if self.condition is not None and not self.condition.resolve(context):
            return mark_safe(html)  # noqa: S308
        request = context.get("request")
        path = getattr(request, "path_info", "") if request is not None else ""
        return mark_safe(annotate(html, page_memory(context), path=path))  # noqa: S308


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
