from enum import StrEnum


class Source(StrEnum):
    ADVERTMIND = "ADVERTMIND"
    GITHUB = "GITHUB"
    GLOBANT = "GLOBANT"
    JIRA = "JIRA"
    MICROSOFT_DYNAMICS = "MICROSOFT_DYNAMICS"
    MICROSOFT_TEAMS = "MICROSOFT_TEAMS"
    OKTA = "OKTA"
    QUICKBOOKS = "QUICKBOOKS"
    SALESFORCE = "SALESFORCE"
    SAP = "SAP"
    VBS = "VBS"
    ZAPIER = "ZAPIER"

    def __str__(self) -> str:
        return str(self.value)
