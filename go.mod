module github.com/redresshq/redress

go 1.26.8
