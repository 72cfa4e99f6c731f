from django import template

from kratom_info.readers.structured_data import article_page_data, json_ld_script, website_data

register = template.Library()


@register.simple_tag
def website_json_ld():
    return json_ld_script(website_data())


@register.simple_tag
def article_json_ld(article, revision, is_permalink=False):
    return json_ld_script(
        article_page_data(article=article, revision=revision, is_permalink=bool(is_permalink))
    )
