// The auditor as an Azure Function on a timer, in its own resource group, with a
// user-assigned managed identity that may only read the audited subscriptions.
// Deploy: az deployment group create -g <rg> -f main.bicep -p @main.small.parameters.json
targetScope = 'resourceGroup'

@description('Short prefix for every resource name (letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

param location string = resourceGroup().location

@description('Subscriptions the audit reads. Leave empty when the roles are granted at a management group with roles-management-group.bicep.')
param auditSubscriptionIds array = []

@description('NCRONTAB schedule of the weekly audit (UTC). Default: Monday 06:00.')
param auditSchedule string = '0 0 6 * * 1'

@description('Key Vault secret URI holding the Microsoft Teams Workflows webhook URL; empty for none.')
param teamsWebhookSecretUri string = ''

@description('Key Vault secret URI holding the Slack webhook URL; empty for none.')
param slackWebhookSecretUri string = ''

@description('Resource id of the Key Vault holding the webhook secrets; empty when there are none.')
param webhookVaultId string = ''

@description('Lowest severity that fails the audit: the run is logged with exit code 1 and the report says so. Notifications follow notify.min_severity in auditor.toml.')
@allowed(['critical', 'high', 'medium', 'low'])
param failOn string = 'high'

param tags object = {}

module identity 'modules/identity.bicep' = {
  name: 'auditor-identity'
  params: { name: '${namePrefix}-auditor-id', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'auditor-monitoring'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'auditor-storage'
  params: {
    name: toLower('${namePrefix}audit${uniqueString(resourceGroup().id)}')
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'auditor-function'
  params: {
    namePrefix: namePrefix
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    appInsightsConnectionString: monitoring.outputs.connectionString
    auditSchedule: auditSchedule
    failOn: failOn
    teamsWebhookSecretUri: teamsWebhookSecretUri
    slackWebhookSecretUri: slackWebhookSecretUri
  }
}

module webhookSecrets 'modules/webhook-secrets-access.bicep' = if (!empty(webhookVaultId)) {
  name: 'auditor-webhook-secrets'
  scope: resourceGroup(split(webhookVaultId, '/')[2], split(webhookVaultId, '/')[4])
  params: {
    vaultName: last(split(webhookVaultId, '/'))
    principalId: identity.outputs.principalId
  }
}

module auditRoles 'modules/roles-subscription.bicep' = [for subscriptionId in auditSubscriptionIds: {
  name: 'auditor-roles-${uniqueString(subscriptionId)}'
  scope: subscription(subscriptionId)
  params: { principalId: identity.outputs.principalId }
}]

output functionAppName string = functionApp.outputs.name
output identityPrincipalId string = identity.outputs.principalId
output identityClientId string = identity.outputs.clientId
output reportContainerUrl string = '${storage.outputs.blobEndpoint}auditor-reports'
