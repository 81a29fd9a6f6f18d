from django import template

register = template.Library()


@register.filter
def attr_entity(link, name: str):
    """The entity a tag link points to (`link.person`, `link.topic`...)."""
    return getattr(link, name)
