"""StreamField blocks for a post body. Each names its template, icon and preview value."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "components/blocks/heading.html"
        preview_value = "What the patient heard"
        label = _("Heading")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=200, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote.html"
        preview_value = {
            "quote": "I wanted to move the appointment, not cancel it.",
            "attribution": "A patient",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        max_length=250,
        label=_("Alternative text"),
        help_text=_("Describe the image for someone who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "components/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, label=_("Title"))
    body = blocks.RichTextBlock(features=["bold", "italic", "link"], label=_("Text"))

    class Meta:
        icon = "info-circle"
        template = "components/blocks/callout.html"
        preview_value = {
            "title": "In short",
            "body": "<p>Every reminder should offer a way to reschedule.</p>",
        }


class PostBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="components/blocks/paragraph.html",
        preview_value="<p>A short paragraph of a post.</p>",
        label=_("Paragraph"),
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock(icon="media", template="components/blocks/embed.html", label=_("Embed"))
    callout = CalloutBlock()
