module discounts.local/tools/cluster/images/pause

go 1.22
